// Writes each jest project's counts to TEST_RESULTS_DIR so `npm test` can print one summary line.
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.name = globalConfig.rootDir ? path.basename(globalConfig.rootDir) : 'jest';
  }

  onRunComplete(_contexts, results) {
    const dir = process.env.TEST_RESULTS_DIR;
    if (!dir) return;
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${this.name}-${process.pid}.json`);
    fs.writeFileSync(
      file,
      JSON.stringify({
        passed: results.numPassedTests,
        failed: results.numFailedTests,
        suitesFailedToRun: results.numRuntimeErrorTestSuites,
      }),
    );
  }
}

module.exports = SummaryReporter;
