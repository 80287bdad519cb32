import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createConnection } from 'mysql2/promise';
import type { Measurement, Round, Scenario, ScenarioContext } from '../harness';

const CLI = 'services/publicity/src/bench/search-latency.cli.ts';

export interface PublicitySearchLatencyOptions {
  /** Published decisions for the subject (the requirement's 1,000,000 by default; PUBLICITY_BENCH_DECISIONS sets it). */
  decisions: number;
  /** Published decisions for the baseline: the same searches on a small portal. */
  baselineDecisions: number;
  samples: number;
  maxP99Ms: number;
  /** Seed the subject's database again even when it holds an equal seed (PUBLICITY_BENCH_FRESH=1). */
  fresh: boolean;
  /** Drop the subject's database at the end instead of keeping it for the next run (PUBLICITY_BENCH_DROP=1). */
  drop: boolean;
}

export const PUBLICITY_SEARCH_LATENCY_DEFAULTS: PublicitySearchLatencyOptions = {
  decisions: Number(process.env['PUBLICITY_BENCH_DECISIONS'] ?? 1_000_000),
  baselineDecisions: 1_000,
  samples: 400,
  maxP99Ms: 50,
  fresh: process.env['PUBLICITY_BENCH_FRESH'] === '1',
  drop: process.env['PUBLICITY_BENCH_DROP'] === '1',
};

/**
 * The subject's database, kept between runs under a name of its size: seeding a million decisions takes minutes, so
 * a later run reuses it when the seeder finds its count and schema fingerprint unchanged (search-latency.ts).
 */
async function keptDatabase(decisions: number): Promise<TestDatabase> {
  const server = new URL(process.env['TEST_MARIADB_URL'] ?? 'mysql://root@127.0.0.1:3306');
  const name = `bench_publicity_search_${decisions}`;
  const admin = async (sql: string) => {
    const connection = await createConnection({ uri: server.toString() });
    try {
      await connection.query(sql);
    } finally {
      await connection.end();
    }
  };
  await admin(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const url = new URL(server.toString());
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS \`${name}\``) };
}

/** What the million's term index (about 11 GB) needs of MariaDB to be loaded and searched without thrashing. */
const SERVER_MINIMUMS = [
  { variable: 'innodb_buffer_pool_size', bytes: 2 * 1024 ** 3 },
  { variable: 'innodb_log_file_size', bytes: 1024 ** 3 },
] as const;

/**
 * Raises the buffer pool and the redo log of the run's MariaDB to SERVER_MINIMUMS when they are smaller (both resize
 * online; `npm run infra` starts MariaDB with them already): the default 128 MiB pool and 96 MiB log turn the bulk
 * load of a hundred million index rows into page flushing at every checkpoint.
 */
async function raiseServerMinimums(log: (line: string) => void): Promise<void> {
  const connection = await createConnection({ uri: process.env['TEST_MARIADB_URL'] ?? 'mysql://root@127.0.0.1:3306' });
  try {
    for (const { variable, bytes } of SERVER_MINIMUMS) {
      const [[row]] = (await connection.query(`SELECT @@GLOBAL.${variable} AS value`)) as unknown as [Array<{ value: string }>];
      if (Number(row.value) >= bytes) continue;
      log(`raising MariaDB's ${variable} from ${Number(row.value) / 1024 ** 2} MiB to ${bytes / 1024 ** 2} MiB for this run`);
      await connection.query(`SET GLOBAL ${variable} = ${bytes}`);
    }
  } finally {
    await connection.end();
  }
}

/** Runs the CLI and returns its last stdout line as JSON; its stderr (the seeder's progress) goes to `log` as it comes. */
async function cli(args: string[], log: (line: string) => void = () => undefined): Promise<unknown> {
  const child = spawn(process.execPath, ['scripts/run-ts.js', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 3_600_000 });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  createInterface({ input: child.stderr }).on('line', (line) => log(line.trim()));
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`${CLI} ${args[0]} exited with ${code}`);
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
}

/**
 * Keyword search on the public portal (a keyword inside words, first page of 20, through publicity's term index on
 * MariaDB): p99 with many published decisions against the same searches with 1,000. Seeding is untimed and happens
 * once, and the subject's database is kept for the next run (PUBLICITY_BENCH_FRESH=1 seeds it again,
 * PUBLICITY_BENCH_DROP=1 drops it at the end); the searches run in a process of their own
 * (services/publicity/src/bench/search-latency.cli.ts).
 */
export function publicitySearchLatency(overrides: Partial<PublicitySearchLatencyOptions> = {}): Scenario {
  const options = { ...PUBLICITY_SEARCH_LATENCY_DEFAULTS, ...overrides };
  const sides: Array<{ database?: TestDatabase; rare: string[] }> = [{ rare: [] }, { rare: [] }];

  const side = (index: number, label: string, context: ScenarioContext) => async (): Promise<Measurement> => {
    const { database, rare } = sides[index];
    if (!database) throw new Error('not set up');
    const started = Date.now();
    const latency = (await cli(['measure', '--url', database.url, '--samples', String(options.samples), '--rare', rare.join(',')], (line) =>
      context.log(`    ${line}`),
    )) as {
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
      await raiseServerMinimums((line) => context.log(line));
      for (const [index, count] of [
        [0, options.baselineDecisions],
        [1, options.decisions],
      ] as const) {
        const kept = index === 1;
        const database = kept ? await keptDatabase(count) : await createTestDatabase('bench_publicity');
        sides[index].database = database;
        context.log(`seeding ${count.toLocaleString('en-US')} published decisions${kept ? ` (kept in ${database.name})` : ''}`);
        const seeded = (await cli(
          ['seed', '--url', database.url, '--decisions', String(count), ...(kept && options.fresh ? ['--fresh'] : [])],
          (line) => context.log(`  ${line}`),
        )) as { rare: string[]; reused: boolean; seedMs: number };
        sides[index].rare = seeded.rare;
        context.log(`  ${seeded.reused ? 'reused the seed there' : 'seeded'} in ${(seeded.seedMs / 1000).toFixed(0)} s`);
      }
    },

    async round(_index: number, context: ScenarioContext): Promise<Round> {
      return {
        baseline: side(0, `${options.baselineDecisions.toLocaleString('en-US')} decisions`, context),
        subject: side(1, `${options.decisions.toLocaleString('en-US')} decisions`, context),
      };
    },

    async teardown() {
      await sides[0].database?.drop().catch(() => undefined);
      if (options.drop) await sides[1].database?.drop().catch(() => undefined);
    },
  };
}
