import { Inject, Injectable } from '@nestjs/common';
import { ScheduledJob } from '@enforcement/events';
import { DataSource } from 'typeorm';
import { DisclosuresService } from './disclosures.service';

export const DISCLOSURE_CHECK_INTERVAL_MS = Symbol('DISCLOSURE_CHECK_INTERVAL_MS');

/**
 * On one instance at a time: counts pending deadlines again on the calendar as loaded now, announces decisions past
 * their publication deadline (DisclosureOverdue, once each)
 * and takes decisions past their publication period off the portal.
 */
@Injectable()
export class DisclosureCheckJob extends ScheduledJob {
  constructor(
    private readonly disclosures: DisclosuresService,
    dataSource: DataSource,
    @Inject(DISCLOSURE_CHECK_INTERVAL_MS) intervalMs: number,
  ) {
    super(dataSource, 'disclosure-check', intervalMs);
  }

  protected async run(): Promise<void> {
    await this.disclosures.refreshDeadlines();
    const overdue = await this.disclosures.announceOverdue();
    const expired = await this.disclosures.expire();
    if (overdue + expired > 0) this.logger.log(`announced ${overdue} overdue, expired ${expired} disclosure(s)`);
  }
}
