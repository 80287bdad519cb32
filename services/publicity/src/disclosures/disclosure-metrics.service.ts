import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Metrics } from '@enforcement/observability';
import { DisclosureRepository } from './disclosure.repository';

/**
 * disclosures_overdue, counted in the database at each scrape: past the deadline now, whether or not the check job
 * has announced it yet (DisclosureOverdue), so the gauge does not wait for the job's interval.
 */
@Injectable()
export class DisclosureMetricsService implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly disclosures: DisclosureRepository,
  ) {}

  onModuleInit(): void {
    this.metrics.disclosuresOverdue(() => this.disclosures.countOverdue(new Date()));
  }
}
