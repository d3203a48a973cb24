/**
 * `npm run scenarios -- PATH...`: checks the resolver against scenario files
 * or folders of them, one line each, ending with `N passed, N failed`.
 */
import { collectScenarioFiles, formatResult, runScenarioFile } from './scenario-runner';

const paths = process.argv.slice(2);
if (paths.length === 0) {
  console.error('usage: npm run scenarios -- PATH... (scenario files or folders)');
  process.exit(2);
}
const { files, missing } = collectScenarioFiles(paths);
let passed = 0;
let failed = 0;
for (const path of missing) {
  console.log(`FAIL  ${path}\n      no such file or folder`);
  failed++;
}
for (const file of files) {
  const result = runScenarioFile(file);
  console.log(formatResult(result));
  if (result.passed) passed++;
  else failed++;
}
if (files.length === 0 && missing.length === 0) console.log('no scenario files found');
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
