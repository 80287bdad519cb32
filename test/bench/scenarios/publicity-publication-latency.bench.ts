import { createTestDatabase, useKafka, type TestDatabase, type TestKafka } from '@enforcement/testing';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Measurement, Round, Scenario, ScenarioContext } from '../harness';

const run = promisify(execFile);
const CLI = 'services/publicity/src/bench/publication-latency.cli.ts';

export interface PublicationLatencyOptions {
  /** Decisions per side per round, one after the other (each after a warm-up decision that is not counted). */
  decisions: number;
  /** How often the reviewer's queue and the public API are asked (ms). */
  pollMs: number;
  maxRatio: number;
}

export const PUBLICATION_LATENCY_DEFAULTS: PublicationLatencyOptions = { decisions: 40, pollMs: 2, maxRatio: 10 };

interface Latency {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  queuedP50Ms: number;
  queuedP99Ms: number;
}

/**
 * From DecisionIssued to the decision visible in the public API (keyword search), p50, with the reviewer's approval
 * in the path (publication waits for it; there is no auto-publication): a bench reviewer approves each disclosure as
 * soon as the queue shows it. DecisionIssued goes in as recording's relay sends it. Baseline: publicity embedded
 * (in-process broker, SQLite, as `npm start` runs it). Subject: publicity over Kafka (the run's broker) on MariaDB.
 * Each side is a process of its own per round (services/publicity/src/bench/publication-latency.cli.ts); p50 and p99
 * of the whole path and of its event part (sent → in the review queue) are logged.
 */
export function publicityPublicationLatency(overrides: Partial<PublicationLatencyOptions> = {}): Scenario {
  const options = { ...PUBLICATION_LATENCY_DEFAULTS, ...overrides };
  let database: TestDatabase | undefined;
  let kafka: TestKafka | undefined;

  const cli = async (args: string[]): Promise<Latency> => {
    const { stdout } = await run(process.execPath, ['scripts/run-ts.js', CLI, ...args], { maxBuffer: 4 * 1024 * 1024, timeout: 600_000 });
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Latency;
  };
  const side = (label: string, args: () => string[], context: ScenarioContext) => async (): Promise<Measurement> => {
    const started = Date.now();
    const latency = await cli(['--decisions', String(options.decisions), '--poll-ms', String(options.pollMs), ...args()]);
    context.log(
      `    ${label}: visible p50 ${latency.p50Ms.toFixed(1)} ms, p99 ${latency.p99Ms.toFixed(1)} ms; ` +
        `in the review queue p50 ${latency.queuedP50Ms.toFixed(1)} ms, p99 ${latency.queuedP99Ms.toFixed(1)} ms (${latency.samples} decisions)`,
    );
    return { value: latency.p50Ms, elapsedMs: Date.now() - started };
  };

  return {
    name: 'publicity-publication-latency',
    description: 'DecisionIssued → visible in the public API (reviewer approval included), p50: over Kafka on MariaDB vs embedded',
    unit: 'ms (p50)',
    higherIsBetter: false,
    rounds: 3,
    warmupRounds: 1,
    target: { maxRatio: options.maxRatio },

    async setup() {
      kafka = await useKafka();
      database = await createTestDatabase('bench_publicity_publication');
    },

    async round(_index: number, context: ScenarioContext): Promise<Round> {
      return {
        baseline: side('embedded', () => ['--mode', 'embedded'], context),
        subject: side(
          'kafka',
          () => {
            if (!database || !kafka) throw new Error('not set up');
            return ['--mode', 'kafka', '--url', database.url, '--brokers', kafka.brokers.join(','), '--prefix', kafka.topicPrefix];
          },
          context,
        ),
      };
    },

    async teardown() {
      await database?.drop().catch(() => undefined);
      await kafka?.release().catch(() => undefined);
    },
  };
}
