/**
 * Reads scenario files (../shared/scenarios/README.md) and checks the
 * resolver against them. Kept apart from the CLI so tests can use it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isRefusal, type Resolution, resolveSnapshot } from '../lib/rules';

export interface ScenarioResult {
  file: string;
  name: string;
  passed: boolean;
  /** For a failure: what was expected and what came back, or why the file is not a scenario. */
  detail: string;
}

type Expectation =
  | { kind: 'sender'; from: string; rule: string | undefined; warnings: string[] }
  | { kind: 'refusal'; error: string };

/** Every `.json` file named, or found below a named folder, sorted. */
export function collectScenarioFiles(paths: string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = (path: string): void => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.json')) files.push(full);
    }
  };
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      missing.push(path);
      continue;
    }
    if (isDirectory) walk(path);
    else files.push(path);
  }
  return { files: [...new Set(files)].sort(), missing };
}

function readExpectation(expect: unknown): Expectation | string {
  if (typeof expect !== 'object' || expect === null || Array.isArray(expect)) {
    return '"expect" must be an object';
  }
  const record = expect as Record<string, unknown>;
  if (typeof record.error === 'string') {
    if ('from' in record) return '"expect" has both "from" and "error"';
    return { kind: 'refusal', error: record.error };
  }
  if (typeof record.from !== 'string')
    return '"expect" needs "from" (a string) or "error" (a string)';
  if (record.rule !== undefined && typeof record.rule !== 'string')
    return '"expect.rule" must be a string';
  const warnings = record.warnings ?? [];
  if (!Array.isArray(warnings) || !warnings.every((w) => typeof w === 'string')) {
    return '"expect.warnings" must be a list of strings';
  }
  return { kind: 'sender', from: record.from, rule: record.rule as string | undefined, warnings };
}

function describeResolution(resolution: Resolution): string {
  if (isRefusal(resolution)) return `refusal ${resolution.error} (${resolution.message})`;
  const warnings = resolution.warnings.length
    ? ` warnings [${resolution.warnings.join(', ')}]`
    : '';
  return `${resolution.from} by ${resolution.rule}${warnings}`;
}

function describeExpectation(expect: Expectation): string {
  if (expect.kind === 'refusal') return `refusal ${expect.error}`;
  const rule = expect.rule ? ` by ${expect.rule}` : '';
  const warnings = expect.warnings.length ? ` warnings [${expect.warnings.join(', ')}]` : '';
  return `${expect.from}${rule}${warnings}`;
}

function matches(expect: Expectation, resolution: Resolution): boolean {
  if (expect.kind === 'refusal') return isRefusal(resolution) && resolution.error === expect.error;
  if (isRefusal(resolution)) return false;
  return (
    resolution.from === expect.from &&
    (expect.rule === undefined || resolution.rule === expect.rule) &&
    expect.warnings.every((w) => resolution.warnings.includes(w as never))
  );
}

/** Checks one scenario given as parsed JSON. */
export function checkScenario(file: string, data: unknown): ScenarioResult {
  const fail = (name: string, detail: string): ScenarioResult => ({
    file,
    name,
    passed: false,
    detail,
  });
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return fail('', 'not a scenario: the file must hold a JSON object');
  }
  const record = data as Record<string, unknown>;
  const name = typeof record.name === 'string' ? record.name : '';
  for (const key of ['snapshot', 'send', 'expect']) {
    if (!(key in record)) return fail(name, `not a scenario: "${key}" is missing`);
  }
  const expect = readExpectation(record.expect);
  if (typeof expect === 'string') return fail(name, `not a scenario: ${expect}`);
  const resolution = resolveSnapshot(record.snapshot, record.send);
  if (matches(expect, resolution)) return { file, name, passed: true, detail: '' };
  return fail(
    name,
    `expected ${describeExpectation(expect)}, got ${describeResolution(resolution)}`,
  );
}

/** Reads and checks one scenario file; a broken file is a failure, never a crash. */
export function runScenarioFile(file: string): ScenarioResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { file, name: '', passed: false, detail: `cannot read: ${(error as Error).message}` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { file, name: '', passed: false, detail: `not valid JSON: ${(error as Error).message}` };
  }
  return checkScenario(file, data);
}

/** One printed line per scenario. */
export function formatResult(result: ScenarioResult, base = process.cwd()): string {
  const where = relative(base, result.file) || result.file;
  const title = result.name ? `  ${result.name}` : '';
  return result.passed
    ? `pass  ${where}${title}`
    : `FAIL  ${where}${title}\n      ${result.detail}`;
}
