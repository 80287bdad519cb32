import { formatTable, runScenario } from '../harness';
import { relayThroughput, type RelayThroughputOptions } from '../scenarios/relay-throughput.bench';

// Scratch runner: `node scripts/run-ts.js test/bench/experiments/tune.ts '{"events":10000,"rounds":12}'`
const overrides = JSON.parse(process.argv[2] ?? '{}') as Partial<RelayThroughputOptions>;
const started = Date.now();
void runScenario(relayThroughput(overrides)).then((result) => {
  process.stdout.write(`${formatTable([result])}\nwall ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  process.exit(0);
});
