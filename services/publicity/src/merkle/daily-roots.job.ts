import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DEFAULT_JOB_LEASE_TTL_MS, SingletonJob } from '@enforcement/events';
import { DataSource } from 'typeorm';
import { DailyRootsService } from './daily-roots.service';

export const DAILY_ROOTS_INTERVAL_MS = Symbol('DAILY_ROOTS_INTERVAL_MS');

/** After each Shanghai day has ended, on one instance at a time: its Merkle root, fixed and published. */
@Injectable()
export class DailyRootsJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DailyRootsJob.name);
  private readonly job: SingletonJob | undefined;

  constructor(roots: DailyRootsService, dataSource: DataSource, @Inject(DAILY_ROOTS_INTERVAL_MS) intervalMs: number) {
    if (intervalMs === 0) return;
    this.job = new SingletonJob(
      dataSource,
      { name: 'daily-roots', intervalMs, leaseTtlMs: DEFAULT_JOB_LEASE_TTL_MS },
      async () => {
        const days = await roots.computeDue();
        if (days.length > 0) this.logger.log(`fixed the roots of ${days.join(', ')}`);
      },
      new Logger(SingletonJob.name),
    );
  }

  onApplicationBootstrap(): void {
    this.job?.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.job?.stop();
  }
}
