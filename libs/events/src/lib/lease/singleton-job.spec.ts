import type { LoggerService } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { openTestDatabase } from '../../test-support/ledger';
import { Lease } from './lease';
import { LeaseEntity } from './lease.entity';
import { SingletonJob, type JobWork, type SingletonJobOptions } from './singleton-job';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * The competitors' lease TTL: short enough for quick tests, long enough that a busy machine's pauses (a few hundred
 * milliseconds on a loaded CI runner) never look like a frozen holder.
 */
const TTL = 1500;

function recordingLogger(): LoggerService & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, log: () => undefined, error: () => undefined, warn: (message: unknown) => void warnings.push(String(message)) };
}

/** The lease and the singleton job on SQLite (embedded mode): competitors share one database, as replicas do. */
describe(Lease.name, () => {
  let dataSource: DataSource;

  beforeEach(async () => {
    dataSource = await openTestDatabase({});
  });

  afterEach(() => dataSource.destroy());

  it('has one owner at a time: the holder renews, the others are refused until it releases', async () => {
    const first = new Lease(dataSource, 'l', 10_000);
    const second = new Lease(dataSource, 'l', 10_000);

    expect(await first.acquire()).toBe(true);
    expect(await second.acquire()).toBe(false);
    expect(await first.acquire()).toBe(true);
    expect(await second.acquire()).toBe(false);

    await second.release(); // not the owner: no effect
    expect(await second.acquire()).toBe(false);
    await first.release();
    expect(await second.acquire()).toBe(true);
    expect(await first.acquire()).toBe(false);
  });

  it('passes to another owner once the holder has not renewed for its TTL', async () => {
    const first = new Lease(dataSource, 'l', TTL);
    const second = new Lease(dataSource, 'l', TTL);
    expect(await first.acquire()).toBe(true);

    await sleep(100);
    expect(await second.acquire()).toBe(false);
    await sleep(TTL);
    expect(await second.acquire()).toBe(true);
    expect(await first.acquire()).toBe(false);
  });

  it('keeps leases of different names apart', async () => {
    expect(await new Lease(dataSource, 'a', 10_000).acquire()).toBe(true);
    expect(await new Lease(dataSource, 'b', 10_000).acquire()).toBe(true);
    expect(await dataSource.getRepository(LeaseEntity).count()).toBe(2);
  });
});

describe(SingletonJob.name, () => {
  let dataSource: DataSource;
  const jobs: SingletonJob[] = [];

  beforeEach(async () => {
    dataSource = await openTestDatabase({});
  });

  afterEach(async () => {
    await Promise.all(jobs.splice(0).map((job) => job.stop()));
    await dataSource.destroy();
  });

  function competitor(work: JobWork, options: Partial<SingletonJobOptions> = {}, logger = recordingLogger()) {
    const job = new SingletonJob(dataSource, { name: 'sweep', intervalMs: 1, leaseTtlMs: TTL, ...options }, work, logger);
    jobs.push(job);
    return job;
  }

  it('runs on one competitor per tick, always the holder', async () => {
    const runs: string[] = [];
    const a = competitor(async () => void runs.push('a'));
    const b = competitor(async () => void runs.push('b'));

    for (let round = 0; round < 5; round++) {
      await sleep(2);
      const ran = await Promise.all([a.tick(), b.tick()]);
      expect(ran.filter(Boolean)).toHaveLength(1);
    }

    expect(runs).toHaveLength(5);
    expect(new Set(runs).size).toBe(1);
    expect([a.isHolder, b.isHolder].filter(Boolean)).toHaveLength(1);
  });

  it('runs the holder only every interval, and at once when it takes over', async () => {
    let runs = 0;
    const job = competitor(async () => void runs++, { intervalMs: 60_000 });

    expect(await job.tick()).toBe(true);
    expect(await job.tick()).toBe(false);
    expect(runs).toBe(1);
  });

  it('passes the job to another competitor when the holder stops renewing, after the lease TTL', async () => {
    const runs: string[] = [];
    const a = competitor(async () => void runs.push('a'));
    const b = competitor(async () => void runs.push('b'));
    expect(await a.tick()).toBe(true);
    const lastRenewal = Date.now();

    // a is frozen from here on: it never ticks again.
    let tookOverAt = 0;
    while (!tookOverAt) {
      if (await b.tick()) tookOverAt = Date.now();
      else await sleep(20);
      expect(Date.now() - lastRenewal).toBeLessThan(20_000);
    }

    expect(tookOverAt - lastRenewal).toBeGreaterThanOrEqual(TTL - 50);
    expect(runs).toEqual(['a', 'b']);
  });

  it('releases the job on stop, so another competitor takes it over on its next tick', async () => {
    const a = competitor(async () => undefined, { leaseTtlMs: 60_000 });
    const b = competitor(async () => undefined, { leaseTtlMs: 60_000 });
    expect(await a.tick()).toBe(true);
    expect(await b.tick()).toBe(false);

    await a.stop();

    expect(await b.tick()).toBe(true);
  });

  it('keeps the lease through a run longer than its TTL, renewing it', async () => {
    const a = competitor(() => sleep(TTL * 2.5));
    const b = competitor(async () => undefined);

    const running = a.tick();
    await sleep(TTL * 1.5);
    expect(await b.tick()).toBe(false);
    expect(await running).toBe(true);
    expect(await b.tick()).toBe(false);
  });

  it('aborts a run whose lease another competitor took over (a frozen holder), and says so', async () => {
    const logger = recordingLogger();
    let signal: AbortSignal | undefined;
    const a = competitor(
      async (runSignal) => {
        signal = runSignal;
        await sleep(TTL * 2);
      },
      {},
      logger,
    );
    const running = a.tick();
    await sleep(20);
    // Someone took the lease as if a's had expired (a was frozen and could not renew in time).
    await dataSource.getRepository(LeaseEntity).update({ name: 'job:sweep' }, { owner: 'someone-else' });

    await running;

    expect(signal?.aborted).toBe(true);
    expect(a.isHolder).toBe(false);
    expect(logger.warnings.join('\n')).toMatch(/lease taken over/);
  });

  it('logs a failed run and keeps the job, running it again at the next interval', async () => {
    const logger = recordingLogger();
    let attempts = 0;
    const a = competitor(
      async () => {
        attempts++;
        throw new Error('database busy');
      },
      {},
      logger,
    );
    const b = competitor(async () => undefined);

    expect(await a.tick()).toBe(true);
    expect(await b.tick()).toBe(false);
    await sleep(2);
    expect(await a.tick()).toBe(true);
    expect(attempts).toBe(2);
    expect(logger.warnings[0]).toMatch(/job sweep failed: database busy/);
  });

  it('when started, runs at once and then every interval; stop aborts and awaits the run in progress', async () => {
    const started: number[] = [];
    let finished = 0;
    let aborted = false;
    const job = competitor(
      async (signal) => {
        started.push(Date.now());
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 30);
          signal.addEventListener('abort', () => {
            aborted = true;
            clearTimeout(timer);
            resolve();
          });
        });
        finished++;
      },
      { intervalMs: 100 },
    );

    job.start();
    while (started.length < 3) await sleep(10);
    const stopping = job.stop();
    await stopping;

    expect(finished).toBe(started.length);
    expect(started[1] - started[0]).toBeGreaterThanOrEqual(95);
    expect(started[2] - started[1]).toBeGreaterThanOrEqual(95);
    expect(aborted).toBe(true);
    const row = await dataSource.getRepository(LeaseEntity).findOneByOrFail({ name: 'job:sweep' });
    expect(row.expiresAt.getTime()).toBe(0);
  });
});
