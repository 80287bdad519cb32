import { Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DEFAULT_JOB_LEASE_TTL_MS, SingletonJob } from './singleton-job';

/**
 * A service's scheduled work as a Nest provider: it runs every `intervalMs` on one replica at a time (a SingletonJob
 * under a lease) once the application has booted. Before the application shuts down, and so before the HTTP server
 * drains, the run in progress stops and the lease is handed over, so another replica takes the job on at once. An
 * interval of 0 turns the job off.
 */
export abstract class ScheduledJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  private readonly job: SingletonJob | undefined;

  protected constructor(dataSource: DataSource, name: string, intervalMs: number) {
    if (intervalMs === 0) return;
    this.job = new SingletonJob(
      dataSource,
      { name, intervalMs, leaseTtlMs: DEFAULT_JOB_LEASE_TTL_MS },
      (signal) => this.run(signal),
      new Logger(SingletonJob.name),
    );
  }

  /** One run. Stop between items once `signal` aborts; a failed run is logged and the next one tries again. */
  protected abstract run(signal: AbortSignal): Promise<void>;

  onApplicationBootstrap(): void {
    this.job?.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.job?.stop();
  }
}
