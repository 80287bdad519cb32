import { runScenario } from '../harness';
import { relayThroughput } from '../scenarios/relay-throughput.bench';
import { ProfiledRelay } from './profiled-relay';

let profiled: ProfiledRelay | undefined;
const scenario = relayThroughput({
  createRelay: (dataSource, publisher, options) => (profiled = new ProfiledRelay(dataSource, publisher, options)),
  rounds: Number(process.argv[2] ?? 5),
});
void runScenario(scenario).then((result) => {
  const total = [...(profiled?.phases.values() ?? [])].reduce((a, b) => a + b, 0);
  const drains = result.rounds.length;
  for (const [phase, ms] of profiled?.phases ?? []) {
    process.stdout.write(`${phase.padEnd(10)} ${(ms / drains).toFixed(1).padStart(7)} ms/drain  ${((100 * ms) / total).toFixed(0)}%\n`);
  }
  for (const drain of profiled?.perDrain ?? []) process.stdout.write(`${JSON.stringify(drain)}\n`);
  process.stdout.write(`ratio ${result.ratio.toFixed(2)}, subject ${result.subjectMedian.toFixed(0)}, baseline ${result.baselineMedian.toFixed(0)}\n`);
  process.exit(0);
});
