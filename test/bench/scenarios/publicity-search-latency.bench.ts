import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Measurement, Round, Scenario, ScenarioContext } from '../harness';

const run = promisify(execFile);
const CLI = 'services/publicity/src/bench/search-latency.cli.ts';

export interface PublicitySearchLatencyOptions {
  /** Published decisions for the subject (the requirement names 1,000,000; PUBLICITY_BENCH_DECISIONS sets it). */
  decisions: number;
  /** Published decisions for the baseline: the same searches on a small portal. */
  baselineDecisions: number;
  samples: number;
  maxP99Ms: number;
}

export const PUBLICITY_SEARCH_LATENCY_DEFAULTS: PublicitySearchLatencyOptions = {
  decisions: Number(process.env['PUBLICITY_BENCH_DECISIONS'] ?? 100_000),
  baselineDecisions: 1_000,
  samples: 400,
  maxP99Ms: 50,
};

async function cli(args: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, ['scripts/run-ts.js', CLI, ...args], { maxBuffer: 16 * 1024 * 1024, timeout: 3_600_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
}

/**
 * Keyword search on the public portal (a keyword inside words, first page of 20, through publicity's term index on
 * MariaDB): p99 with many published decisions against the same searches with 1,000. Seeding is untimed and happens
 * once; the searches run in a process of their own (services/publicity/src/bench/search-latency.cli.ts).
 */
export function publicitySearchLatency(overrides: Partial<PublicitySearchLatencyOptions> = {}): Scenario {
  const options = { ...PUBLICITY_SEARCH_LATENCY_DEFAULTS, ...overrides };
  const sides: Array<{ database?: TestDatabase; rare: string[] }> = [{ rare: [] }, { rare: [] }];

  const side = (index: number, label: string, context: ScenarioContext) => async (): Promise<Measurement> => {
    const { database, rare } = sides[index];
    if (!database) throw new Error('not set up');
    const started = Date.now();
    const latency = (await cli(['measure', '--url', database.url, '--samples', String(options.samples), '--rare', rare.join(',')])) as {
      samples: number;
      p50Ms: number;
      p99Ms: number;
    };
    context.log(`    ${label}: p50 ${latency.p50Ms.toFixed(2)} ms, p99 ${latency.p99Ms.toFixed(2)} ms over ${latency.samples} searches`);
    return { value: latency.p99Ms, elapsedMs: Date.now() - started };
  };

  return {
    name: 'publicity-search-latency',
    description: `public keyword search p99 with ${options.decisions.toLocaleString('en-US')} published decisions vs ${options.baselineDecisions.toLocaleString('en-US')} (goal p99 < ${options.maxP99Ms} ms)`,
    unit: 'ms (p99)',
    higherIsBetter: false,
    rounds: 5,
    warmupRounds: 1,
    target: { maxRatio: 20, maxSubject: options.maxP99Ms },

    async setup(context: ScenarioContext) {
      for (const [index, count] of [
        [0, options.baselineDecisions],
        [1, options.decisions],
      ] as const) {
        const database = await createTestDatabase('bench_publicity');
        sides[index].database = database;
        context.log(`seeding ${count.toLocaleString('en-US')} published decisions`);
        sides[index].rare = ((await cli(['seed', '--url', database.url, '--decisions', String(count)])) as { rare: string[] }).rare;
      }
    },

    async round(_index: number, context: ScenarioContext): Promise<Round> {
      return {
        baseline: side(0, `${options.baselineDecisions.toLocaleString('en-US')} decisions`, context),
        subject: side(1, `${options.decisions.toLocaleString('en-US')} decisions`, context),
      };
    },

    async teardown() {
      for (const entry of sides) await entry.database?.drop().catch(() => undefined);
    },
  };
}
