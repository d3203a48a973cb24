// The demo's closing report: what each badge said, the switcher, the audit chips, the screenshots.
import { relative } from 'node:path';
import type { DemoResult } from './run';

export function report(log: (line: string) => void, result: DemoResult): void {
  const [main, ...tour] = result.badges;
  log('');
  if (main) {
    log(`${main.contact}, as ${main.user} (${main.shows}); the badge said:`);
    log(`    ${main.said}`);
    log('  Why this number:');
    for (const line of main.why) log(`    ${line}`);
  }
  for (const seen of tour) {
    log(`${seen.contact}, as ${seen.user} (${seen.shows}); the badge said:`);
    log(`    ${seen.said}`);
    for (const line of seen.why) log(`    ${line}`);
  }
  log('');
  const disabled = result.switcher.filter((o) => /cannot send SMS/.test(o));
  log(
    `Switcher: ${result.switcher.length} numbers, ${disabled.length} greyed out ` +
      `(${disabled.map((o) => o.replace(/ Voice-only.*$/, '')).join('; ')})`,
  );
  log(`Audit chips on ${main?.contact}'s messages:`);
  for (const chip of result.audit) log(`    ${chip}`);
  log(`  one chip's details: ${result.auditDetails.join(' · ')}`);
  if (result.sent) {
    log(`Send via Twilio: typing showed "${result.sent.counter}"`);
    log(`  the row in place: ${result.sent.row}`);
  }
  if (result.pageErrors.length > 0) {
    log('');
    log(`Page errors (${result.pageErrors.length}):`);
    for (const error of result.pageErrors) log(`  ${error}`);
  }
  log('');
  const shown = relative(process.cwd(), result.outDir);
  log(`Screenshots in ${shown === '' || shown.startsWith('..') ? result.outDir : shown}/:`);
  for (const path of result.screenshots) log(`  ${relative(result.outDir, path)}`);
}
