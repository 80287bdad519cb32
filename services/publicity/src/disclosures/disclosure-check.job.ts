import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DEFAULT_JOB_LEASE_TTL_MS, SingletonJob } from '@enforcement/events';
import { DataSource } from 'typeorm';
import { DisclosuresService } from './disclosures.service';

export const DISCLOSURE_CHECK_INTERVAL_MS = Symbol('DISCLOSURE_CHECK_INTERVAL_MS');

/**
 * On one instance at a time: counts pending deadlines again on the calendar as loaded now, announces decisions past
 * their publication deadline (DisclosureOverdue, once each)
 * and takes decisions past their publication period off the portal.
 */
@Injectable()
export class DisclosureCheckJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DisclosureCheckJob.name);
  private readonly job: SingletonJob | undefined;

  constructor(disclosures: DisclosuresService, dataSource: DataSource, @Inject(DISCLOSURE_CHECK_INTERVAL_MS) intervalMs: number) {
    if (intervalMs === 0) return;
    this.job = new SingletonJob(
      dataSource,
      { name: 'disclosure-check', intervalMs, leaseTtlMs: DEFAULT_JOB_LEASE_TTL_MS },
      async () => {
        await disclosures.refreshDeadlines();
        const overdue = await disclosures.announceOverdue();
        const expired = await disclosures.expire();
        if (overdue + expired > 0) this.logger.log(`announced ${overdue} overdue, expired ${expired} disclosure(s)`);
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
