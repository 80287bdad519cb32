#!/usr/bin/env node
// `npm test`: stale-contract check, type check, formatting (Prettier), lint (module boundaries and import loops included), then every project's
// unit and integration tests on real MariaDB, Kafka and S3 (brought up by `npm run infra` when they are not
// running, and stopped again afterwards). Ends with one summary line over all jest projects.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const resultsDir = path.join(root, 'tmp', 'test-results');
fs.rmSync(resultsDir, { recursive: true, force: true });
fs.mkdirSync(resultsDir, { recursive: true });

const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', TEST_RESULTS_DIR: resultsDir };
const nx = path.join(root, 'node_modules/.bin/nx');
const infra = (args) =>
  spawnSync(process.execPath, ['scripts/run-ts.js', 'scripts/infra.ts', ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });

/** One Kafka broker and one S3 server for the whole run; suites isolate themselves on them. */
function bringUpInfrastructure() {
  const result = infra(['--env', '--fresh']);
  if (result.status !== 0) return false;
  for (const match of result.stdout.matchAll(/^export (\w+)=(.*)$/gm)) env[match[1]] = match[2];
  console.log(`Kafka ${env.TEST_KAFKA_BROKERS}, S3 ${env.TEST_S3_ENDPOINT}, MariaDB ${env.TEST_MARIADB_URL}`);
  return true;
}

const steps = [
  ['contracts', 'node', ['scripts/proto.js', '--check']],
  ['typecheck', path.join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.typecheck.json']],
  ['format', path.join(root, 'node_modules/.bin/prettier'), ['--check', '--log-level=warn', '.']],
  ['lint', nx, ['run-many', '-t', 'lint', '--output-style=stream', '--skip-nx-cache']],
  // The same rules under plain eslint, in a fresh copy without an nx cache, each proven to fail on a fixture.
  ['lint guards', process.execPath, ['--test', 'tools/lint-guards/lint-guards.test.js']],
  ['tests', nx, ['run-many', '-t', 'test', '--output-style=stream', '--parallel=2', ...process.argv.slice(2)]],
];

let failed = false;
for (const [name, command, args] of steps) {
  console.log(`\n=== ${name} ===`);
  if (name === 'tests') {
    console.log('infrastructure: npm run infra');
    if (!bringUpInfrastructure()) {
      console.error('\nthe test infrastructure could not be started');
      failed = true;
      break;
    }
  }
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\n${name} failed`);
    failed = true;
    if (name !== 'tests') break;
  }
}

if (env.INFRA_STARTED === '1') infra(['--stop', '--keep-mariadb']);

let passed = 0;
let failedTests = 0;
const failures = [];
for (const file of fs.existsSync(resultsDir) ? fs.readdirSync(resultsDir) : []) {
  const summary = JSON.parse(fs.readFileSync(path.join(resultsDir, file), 'utf8'));
  passed += summary.passed;
  failedTests += summary.failed + summary.suitesFailedToRun;
  failures.push(...(summary.failures ?? []));
}
for (const { where, test, message } of failures) console.log(`\nFAILED ${where}\n  ${test}\n${message.replace(/^/gm, '    ')}`);
console.log(`\ntests: ${passed} passed, ${failedTests} failed`);
process.exit(failed || failedTests > 0 ? 1 : 0);
