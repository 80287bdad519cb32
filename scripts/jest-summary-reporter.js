// Writes each jest project's counts, and what failed, to TEST_RESULTS_DIR so `npm test` can end with one
// summary: the failures repeated at the end of a long log, where a CI page that shows only the tail finds them.
const fs = require('node:fs');
const path = require('node:path');

const FAILURE_LINES = 20;

class SummaryReporter {
  constructor(globalConfig) {
    this.name = globalConfig.rootDir ? path.basename(globalConfig.rootDir) : 'jest';
  }

  onRunComplete(_contexts, results) {
    const dir = process.env.TEST_RESULTS_DIR;
    if (!dir) return;
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${this.name}-${process.pid}.json`);
    const failures = [];
    for (const suite of results.testResults) {
      const where = path.relative(process.cwd(), suite.testFilePath);
      if (suite.testExecError) failures.push({ where, test: '(the suite did not run)', message: brief(suite.testExecError.message) });
      for (const test of suite.testResults) {
        if (test.status === 'failed') failures.push({ where, test: test.fullName, message: brief(test.failureMessages.join('\n')) });
      }
    }
    fs.writeFileSync(
      file,
      JSON.stringify({
        passed: results.numPassedTests,
        failed: results.numFailedTests,
        suitesFailedToRun: results.numRuntimeErrorTestSuites,
        failures,
      }),
    );
  }
}

const brief = (text) =>
  String(text ?? '')
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .slice(0, FAILURE_LINES)
    .join('\n');

module.exports = SummaryReporter;
