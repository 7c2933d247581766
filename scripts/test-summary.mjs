// Prints the one closing line CI reads, `N passed, N failed[, N skipped]`, from vitest's JSON report,
// and exits non-zero on any failure. A test file that failed to load counts as a failed test, and a
// missing report (vitest crashed) counts as one failure.
import { existsSync, readFileSync } from 'node:fs';

const [reportPath, vitestStatus = '1'] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
if (reportPath && existsSync(reportPath)) {
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed = report.numFailedTests ?? 0;
  skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // Suites that failed without a failed test inside: the file did not load, or a hook threw.
  for (const suite of report.testResults ?? []) {
    const inner = (suite.assertionResults ?? []).filter((a) => a.status === 'failed').length;
    if (suite.status === 'failed' && inner === 0) failed += 1;
  }
  if (passed + failed === 0) failed += 1; // ran no test: that is a failure
} else {
  console.error(`test-summary: no vitest report at ${reportPath}`);
  failed = 1;
}
if (failed === 0 && vitestStatus !== '0') failed = 1; // vitest failed for a reason the report does not show
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 ? 0 : 1);
