import type { LoggerService } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { Lease } from './lease';

export interface SingletonJobOptions {
  /** Unique among the service's jobs; the lease is named 'job:<name>'. */
  name: string;
  /** How often the job runs, on whichever instance holds it. */
  intervalMs: number;
  /**
   * How long an instance that stops renewing (crashed, frozen, cut off from the database) keeps the job.
   * The holder renews it every third of this.
   */
  leaseTtlMs: number;
  /**
   * How often an instance that does not hold the job tries to take it (at most a third of the TTL): after a
   * holder's clean stop, another instance takes over within this. Default 1 s.
   */
  pollIntervalMs?: number;
}

export const DEFAULT_JOB_LEASE_TTL_MS = 30_000;
export const DEFAULT_JOB_POLL_INTERVAL_MS = 1000;

/** The job's work. The signal aborts when the instance stops or loses the lease: stop between items then. */
export type JobWork = (signal: AbortSignal) => Promise<unknown>;

/**
 * A scheduled job that runs on one instance of a service at a time, however many are running. Each instance
 * starts one; the one that holds the job's lease runs the work every intervalMs (and at once when it takes
 * the lease over), the others only try for the lease, every pollIntervalMs. A holder that stops renewing is
 * replaced once its lease has expired; one that stops cleanly releases it, and the next instance takes over on
 * its next try.
 *
 * Runs of one job never overlap, but a takeover may run the work again soon after the previous holder did,
 * and a holder frozen past its lease may still be finishing a run: the work must be safe to repeat.
 */
export class SingletonJob {
  private readonly lease: Lease;
  private stopped = true;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private holding = false;
  private nextRunAt = 0;
  private current: AbortController | undefined;

  constructor(
    dataSource: DataSource,
    private readonly options: SingletonJobOptions,
    private readonly work: JobWork,
    private readonly logger: LoggerService,
  ) {
    if (!(options.intervalMs > 0)) throw new Error(`job ${options.name}: intervalMs must be positive`);
    this.lease = new Lease(dataSource, `job:${options.name}`, options.leaseTtlMs);
  }

  get name(): string {
    return this.options.name;
  }

  /** Whether this instance held the job at its last try. */
  get isHolder(): boolean {
    return this.holding;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  /** Stops trying, lets a run in progress finish (its signal aborted), then releases the lease. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    this.current?.abort(new Error(`job ${this.options.name} is stopping`));
    await this.loop;
    this.loop = undefined;
    const wasHolding = this.holding;
    this.holding = false;
    try {
      await this.lease.release();
      if (wasHolding) this.logger.log?.(`released job ${this.options.name}`, 'SingletonJob');
    } catch (error) {
      // The lease then runs out by itself within its TTL.
      this.logger.warn?.(`job ${this.options.name}: lease not released: ${describe(error)}`, 'SingletonJob');
    }
  }

  /**
   * One turn: takes or renews the lease, and runs the work if this instance holds it and a run is due (or it
   * has just taken over). Returns whether the work ran. A failure of the work is logged, not thrown; a failure
   * to reach the lease is thrown.
   */
  async tick(): Promise<boolean> {
    const held = await this.lease.acquire();
    const tookOver = held && !this.holding;
    if (held !== this.holding) {
      this.logger.log?.(`${held ? 'took over' : 'lost'} job ${this.options.name}`, 'SingletonJob');
    }
    this.holding = held;
    if (!held || (!tookOver && Date.now() < this.nextRunAt)) return false;
    this.nextRunAt = Date.now() + this.options.intervalMs;
    await this.runHeld();
    return true;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.tick();
      } catch (error) {
        // The database is away: whether we still hold the lease is unknown, so take it as lost.
        this.holding = false;
        this.logger.warn?.(`job ${this.options.name}: lease not reachable: ${describe(error)}`, 'SingletonJob');
      }
      if (this.stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.delay());
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** The holder wakes for its next run or to renew, whichever is first; the others to try for the lease. */
  private delay(): number {
    const renewal = Math.max(1, Math.floor(this.options.leaseTtlMs / 3));
    if (this.holding) return Math.max(0, Math.min(renewal, this.nextRunAt - Date.now()));
    return Math.min(renewal, this.options.pollIntervalMs ?? DEFAULT_JOB_POLL_INTERVAL_MS);
  }

  /** Runs the work while renewing the lease; aborts the work's signal if the lease is lost meanwhile. */
  private async runHeld(): Promise<void> {
    const controller = new AbortController();
    this.current = controller;
    if (this.stopped) controller.abort(new Error(`job ${this.options.name} is stopping`));
    const every = Math.max(1, Math.floor(this.options.leaseTtlMs / 3));
    let renewedAt = Date.now();
    let finished = false;
    let renewing: Promise<void> = Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const lose = (why: string) => {
      this.holding = false;
      this.logger.warn?.(`job ${this.options.name}: ${why} during a run; stopping it`, 'SingletonJob');
      controller.abort(new Error(`job ${this.options.name}: ${why}`));
    };
    const renew = async () => {
      try {
        if (await this.lease.acquire()) renewedAt = Date.now();
        else lose('lease taken over');
      } catch {
        if (Date.now() - renewedAt >= this.options.leaseTtlMs) lose('lease not renewed in time');
      }
    };
    const schedule = () => {
      timer = setTimeout(() => {
        renewing = renew().then(() => {
          if (!finished && this.holding) schedule();
        });
      }, every);
    };
    schedule();
    try {
      await this.work(controller.signal);
    } catch (error) {
      // The lease stays with us: the next run comes at the usual interval.
      this.logger.warn?.(`job ${this.options.name} failed: ${describe(error)}`, 'SingletonJob');
    } finally {
      finished = true;
      clearTimeout(timer);
      // A renewal still in flight must land before a release, or it would take the lease back.
      await renewing;
      this.current = undefined;
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
