// Runs Mozilla's add-on linter (web-ext lint) on the Firefox build and prints one line per
// finding: web-ext's own table is cut to unreadable columns in a CI log. Errors fail the run;
// warnings and notices are shown but allowed.
// Usage: tsx scripts/lint-firefox.ts [source-dir] (default .output/firefox-mv3).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface LintMessage {
  code: string;
  message: string;
  file?: string;
  line?: number;
}

interface LintReport {
  summary: { errors: number; warnings: number; notices: number };
  errors: LintMessage[];
  warnings: LintMessage[];
  notices: LintMessage[];
}

const root = fileURLToPath(new URL('..', import.meta.url));
const sourceDir = resolve(root, process.argv[2] ?? '.output/firefox-mv3');
if (!existsSync(join(sourceDir, 'manifest.json'))) {
  console.error(`No manifest.json in ${sourceDir}: run npm run build first`);
  process.exit(1);
}

const run = spawnSync(
  join(root, 'node_modules/.bin/web-ext'),
  ['lint', '--source-dir', sourceDir, '--output', 'json', '--no-input', '--no-config-discovery'],
  { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
);
let report: LintReport;
try {
  report = JSON.parse(run.stdout) as LintReport;
} catch {
  console.error(`web-ext lint gave no JSON report (exit ${run.status}):`);
  console.error(run.stdout, run.stderr);
  process.exit(1);
}

for (const kind of ['errors', 'warnings', 'notices'] as const) {
  for (const m of report[kind]) {
    const where = m.file ? ` ${m.file}${m.line ? `:${m.line}` : ''}` : '';
    console.log(`${kind.slice(0, -1).padEnd(7)} ${m.code}${where}: ${m.message}`);
  }
}
const { errors, warnings, notices } = report.summary;
console.log(
  `web-ext lint ${sourceDir}: ${errors} errors, ${warnings} warnings, ${notices} notices`,
);
process.exit(errors > 0 ? 1 : 0);
