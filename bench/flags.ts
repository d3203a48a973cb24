/** Command-line flags shared by the benchmarks: whole numbers and `--json`. */
import { parseArgs } from 'node:util';

/** Prints `bench:NAME: message` and exits 2, as a usage error. */
export function usageError(bench: string, message: string): never {
  console.error(`bench:${bench}: ${message}`);
  process.exit(2);
}

/**
 * Reads `--json` and whole-number flags with defaults; a flag that is not a
 * whole number, or below its minimum (1 unless `mayBeZero` names it), is a
 * usage error.
 */
export function readIntegerFlags<K extends string>(
  bench: string,
  defaults: Readonly<Record<K, number>>,
  mayBeZero: readonly NoInfer<K>[] = [],
): Record<K, number> & { json: boolean } {
  const options: Record<string, { type: 'string' | 'boolean' }> = { json: { type: 'boolean' } };
  for (const name of Object.keys(defaults)) options[name] = { type: 'string' };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ options, strict: true, allowPositionals: false }));
  } catch (error) {
    usageError(bench, error instanceof Error ? error.message : String(error));
  }
  const flags = { json: values.json === true } as Record<K, number> & { json: boolean };
  for (const [name, fallback] of Object.entries(defaults) as [K, number][]) {
    const raw = values[name];
    if (raw === undefined) {
      flags[name] = fallback as (Record<K, number> & { json: boolean })[K];
      continue;
    }
    const value = Number(raw);
    if (typeof raw !== 'string' || !/^\d+$/.test(raw) || !Number.isSafeInteger(value)) {
      usageError(bench, `--${name} must be a whole number, got "${String(raw)}"`);
    }
    if (value < 1 && !mayBeZero.includes(name)) usageError(bench, `--${name} must be at least 1`);
    flags[name] = value as (Record<K, number> & { json: boolean })[K];
  }
  return flags;
}
