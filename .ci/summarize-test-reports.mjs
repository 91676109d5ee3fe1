// Sums the vitest JSON reports of every package into one line: "N passed, N failed, N skipped".
// A package whose tests did not produce a report while `npm test` failed counts as one failure,
// so a crash before any test ran cannot pass for green.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const [dir, testExitCode] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
for (const file of files) {
  const report = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // Suites that failed to load (e.g. a syntax error) have no tests but count as failures.
  for (const suite of report.testResults ?? []) {
    if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) failed += 1;
  }
}
if (Number(testExitCode) !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || Number(testExitCode) !== 0 ? 1 : 0);
