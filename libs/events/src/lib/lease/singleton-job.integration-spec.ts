import type { LoggerService } from '@nestjs/common';
import { openDatabase } from '@enforcement/persistence';
import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import type { DataSource } from 'typeorm';
import { EVENT_BACKBONE_ENTITIES, EVENT_BACKBONE_MIGRATIONS, SharedLeases1763700010000 } from '../../index';
import { openTestDatabase } from '../../test-support/ledger';
import { Lease } from './lease';
import { LeaseEntity } from './lease.entity';
import { SingletonJob, type SingletonJobOptions } from './singleton-job';

const quiet: LoggerService = { log: () => undefined, warn: () => undefined, error: () => undefined };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * The competitors' lease TTL: long enough that a loaded CI runner's pauses (a MariaDB write held for a second, an
 * event loop starved) never look like a frozen holder, short enough for the takeover tests to wait it out.
 */
const TTL = 2000;

interface Run {
  by: string;
  startedAt: number;
  endedAt: number;
}

/**
 * Replicas of one service on MariaDB: each competitor has its own connection pool on the same database, and
 * they race for the job at the same moments.
 */
describe('singleton job on MariaDB', () => {
  let database: TestDatabase;
  const dataSources: DataSource[] = [];
  const jobs: SingletonJob[] = [];
  let runs: Run[];
  let inside: number;
  let maxInside: number;

  beforeAll(async () => {
    database = await createTestDatabase('events_singleton_job');
    // One after another: the first runs the migrations.
    for (let i = 0; i < 3; i++) dataSources.push(await openTestDatabase({ url: database.url }));
  });

  afterAll(async () => {
    await Promise.allSettled(dataSources.filter((dataSource) => dataSource.isInitialized).map((dataSource) => dataSource.destroy()));
    await database?.drop();
  });

  beforeEach(async () => {
    runs = [];
    inside = 0;
    maxInside = 0;
    await dataSources[0].getRepository(LeaseEntity).clear();
  });

  afterEach(async () => {
    await Promise.allSettled(jobs.splice(0).map((job) => job.stop()));
  });

  function replica(by: string, dataSource: DataSource, options: Partial<SingletonJobOptions> = {}, workMs = 15) {
    const job = new SingletonJob(
      dataSource,
      { name: 'expiry', intervalMs: 1, leaseTtlMs: TTL, ...options },
      async () => {
        const run = { by, startedAt: Date.now(), endedAt: 0 };
        inside++;
        maxInside = Math.max(maxInside, inside);
        await sleep(workMs);
        inside--;
        run.endedAt = Date.now();
        runs.push(run);
      },
      quiet,
    );
    jobs.push(job);
    return job;
  }

  it('runs on exactly one of two competitors each tick, the first free lease and an expired one included', async () => {
    const a = replica('a', dataSources[0]);
    const b = replica('b', dataSources[1]);

    for (let round = 0; round < 20; round++) {
      await sleep(2);
      const ran = await Promise.all([a.tick(), b.tick()]);
      expect(ran.filter(Boolean)).toHaveLength(1);
    }
    expect(runs).toHaveLength(20);
    expect(new Set(runs.map((run) => run.by)).size).toBe(1);

    // The holder stops renewing; once its lease has expired both race again: still exactly one wins.
    await sleep(TTL + 100);
    for (let round = 0; round < 5; round++) {
      const ran = await Promise.all([a.tick(), b.tick()]);
      expect(ran.filter(Boolean)).toHaveLength(1);
      await sleep(2);
    }
    expect(maxInside).toBe(1);
  });

  it('with both running, only one runs the job; when it stops renewing the other takes over after the TTL', async () => {
    const doomed = await openTestDatabase({ url: database.url });
    dataSources.push(doomed);
    const a = replica('a', doomed, { intervalMs: 50, leaseTtlMs: TTL });
    a.start();
    await sleep(100);
    const b = replica('b', dataSources[1], { intervalMs: 50, leaseTtlMs: TTL });
    b.start();
    await sleep(1000);

    // Every 50 ms on a quiet machine; a loaded one runs fewer, but always a alone.
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(new Set(runs.map((run) => run.by))).toEqual(new Set(['a']));
    expect(a.isHolder).toBe(true);
    expect(b.isHolder).toBe(false);

    // a loses its database (a crash, a network cut): it can no longer renew, and releases nothing.
    const cutAt = Date.now();
    await doomed.destroy();
    const deadline = cutAt + 15_000;
    while (!runs.some((run) => run.by === 'b') && Date.now() < deadline) await sleep(10);

    const firstOfB = runs.find((run) => run.by === 'b');
    if (!firstOfB) throw new Error('b never took the job over');
    const lastOfA = runs.filter((run) => run.by === 'a').at(-1);
    // a renewed at its last run at the latest (every 50 ms): b waits out the TTL from there, then polls. How soon
    // after the TTL it gets there depends on the machine's load; that it never comes before is the rule.
    expect(firstOfB.startedAt - cutAt).toBeGreaterThanOrEqual(TTL - 100);
    expect(firstOfB.startedAt).toBeGreaterThanOrEqual(lastOfA?.endedAt ?? Infinity);
    await sleep(200);
    expect(runs.filter((run) => run.startedAt > firstOfB.startedAt).every((run) => run.by === 'b')).toBe(true);
    expect(maxInside).toBe(1);
  });

  it('passes the job on at once when the holder stops cleanly, long before the TTL', async () => {
    const options = { intervalMs: 60_000, leaseTtlMs: 30_000 }; // the others poll every second (the default)
    const a = replica('a', dataSources[1], options);
    const b = replica('b', dataSources[2], options);
    a.start();
    while (runs.length === 0) await sleep(10);
    b.start();
    await sleep(1500);
    expect(runs.map((run) => run.by)).toEqual(['a']);

    const stoppedAt = Date.now();
    await a.stop();
    while (runs.length === 1 && Date.now() - stoppedAt < 15_000) await sleep(10);

    expect(runs.map((run) => run.by)).toEqual(['a', 'b']);
    // b polls every second; even on a loaded machine that is far from the 30 s it would wait for an expired lease.
    expect(runs[1].startedAt - stoppedAt).toBeLessThan(options.leaseTtlMs / 3);
  });
});

/** The migration that made the relay's lease table the shared one, both ways, on both dialects. */
describe('SharedLeases migration', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('events_shared_leases');
  });

  afterAll(() => database?.drop());

  const tables = async (dataSource: DataSource) => {
    const queryRunner = dataSource.createQueryRunner();
    try {
      return { leases: await queryRunner.hasTable('leases'), relayLeases: await queryRunner.hasTable('relay_leases') };
    } finally {
      await queryRunner.release();
    }
  };

  it.each([
    ['MariaDB', () => ({ url: database.url, sqliteFile: '' })],
    ['SQLite', () => ({ sqliteFile: ':memory:' })],
  ])('keeps the relay lease across up and down on %s, and drops job leases going down', async (_dialect, where) => {
    // Up to the shared leases: undoing the last migration undoes them.
    const migrations = EVENT_BACKBONE_MIGRATIONS.slice(0, EVENT_BACKBONE_MIGRATIONS.indexOf(SharedLeases1763700010000) + 1);
    const dataSource = await openDatabase({ ...where(), entities: EVENT_BACKBONE_ENTITIES, migrations });
    try {
      expect(await tables(dataSource)).toEqual({ leases: true, relayLeases: false });
      const relay = new Lease(dataSource, 'certificates', 60_000);
      expect(await relay.acquire()).toBe(true);
      expect(await new Lease(dataSource, 'job:expiry', 60_000).acquire()).toBe(true);

      await dataSource.undoLastMigration({ transaction: 'each' });
      expect(await tables(dataSource)).toEqual({ leases: false, relayLeases: true });
      const rows: Array<{ name: string; owner: string }> = await dataSource.query('SELECT name, owner FROM relay_leases');
      expect(rows).toEqual([{ name: 'certificates', owner: relay.owner }]);

      await dataSource.runMigrations({ transaction: 'each' });
      expect(await tables(dataSource)).toEqual({ leases: true, relayLeases: false });
      expect(await relay.acquire()).toBe(true);
    } finally {
      await dataSource.destroy();
    }
  });
});
