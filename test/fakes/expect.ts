import type { Violation } from './contract.ts';

/**
 * Throws, listing every spec violation the fake saw, unless there were none.
 * Call it at the end of a test (or in afterEach) so a client that drifts from
 * the official spec fails loudly.
 */
export function expectNoViolations(fake: { violations: Violation[] }): void {
  if (fake.violations.length === 0) return;
  const lines = fake.violations.map(
    (v) => `  ${v.method} ${v.path}\n${v.errors.map((e) => `    - ${e}`).join('\n')}`,
  );
  throw new Error(`${fake.violations.length} request(s) broke the API spec:\n${lines.join('\n')}`);
}
