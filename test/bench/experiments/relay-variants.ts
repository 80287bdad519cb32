import { formatTable, runScenario } from '../harness';
import { relayThroughput, type RelayThroughputOptions } from '../scenarios/relay-throughput.bench';
import { CandidateRelay, type CandidateChanges } from './candidate-relay';

/**
 * relay-throughput (relay vs raw kafkajs) for OutboxRelay or for CandidateRelay with some changes, plus
 * where the candidate's drain time went, e.g.
 *   node scripts/run-ts.js test/bench/experiments/relay-variants.ts '{"rounds":12}' leanSelect,leanMark,lazyLease,pipeline
 * Without a second argument it measures OutboxRelay itself; with one ('' for none: a step-for-step
 * copy of OutboxRelay, useful for the time per step), CandidateRelay with the listed changes.
 */
const overrides = JSON.parse(process.argv[2] || '{}') as Partial<RelayThroughputOptions>;
const listed = process.argv[3];
const changes: CandidateChanges | undefined =
  listed === undefined
    ? undefined
    : {
        leanSelect: listed.includes('leanSelect'),
        leanMark: listed.includes('leanMark'),
        lazyLease: listed.includes('lazyLease'),
        pipeline: listed.includes('pipeline'),
      };
let candidate: CandidateRelay | undefined;
const started = Date.now();
const scenario = relayThroughput({
  ...overrides,
  name: changes ? `candidate[${listed}]` : 'relay-throughput',
  createRelay: changes && ((dataSource, publisher, options) => (candidate = new CandidateRelay(dataSource, publisher, options, changes))),
});
void runScenario(scenario).then((result) => {
  process.stdout.write(`${formatTable([result])}\nwall ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  const drains = result.rounds.length;
  for (const [phase, ms] of candidate?.phases ?? []) {
    process.stdout.write(`  ${phase.padEnd(10)} ${(ms / drains).toFixed(1).padStart(7)} ms per drain of ${overrides.events ?? 5000}\n`);
  }
  process.exit(0);
});
