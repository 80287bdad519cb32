#!/usr/bin/env node
// `npm test`: stale-contract check, type check, lint (module boundaries included), then every project's
// unit and integration tests. Ends with one summary line over all jest projects.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const resultsDir = path.join(root, 'tmp', 'test-results');
fs.rmSync(resultsDir, { recursive: true, force: true });
fs.mkdirSync(resultsDir, { recursive: true });

const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', TEST_RESULTS_DIR: resultsDir };
const nx = path.join(root, 'node_modules/.bin/nx');
const steps = [
  ['contracts', 'node', ['scripts/proto.js', '--check']],
  ['typecheck', path.join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.typecheck.json']],
  ['lint', nx, ['run-many', '-t', 'lint', '--output-style=stream', '--skip-nx-cache']],
  ['tests', nx, ['run-many', '-t', 'test', '--output-style=stream', '--parallel=2', ...process.argv.slice(2)]],
];

let failed = false;
for (const [name, command, args] of steps) {
  console.log(`\n=== ${name} ===`);
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\n${name} failed`);
    failed = true;
    if (name !== 'tests') break;
  }
}

let passed = 0;
let failedTests = 0;
for (const file of fs.existsSync(resultsDir) ? fs.readdirSync(resultsDir) : []) {
  const summary = JSON.parse(fs.readFileSync(path.join(resultsDir, file), 'utf8'));
  passed += summary.passed;
  failedTests += summary.failed + summary.suitesFailedToRun;
}
console.log(`\ntests: ${passed} passed, ${failedTests} failed`);
process.exit(failed || failedTests > 0 ? 1 : 0);
