import { Inject, Injectable } from '@nestjs/common';
import { ScheduledJob } from '@enforcement/events';
import { DataSource } from 'typeorm';
import { ReviewsService } from './reviews.service';

export const REVIEW_OVERDUE_INTERVAL_MS = Symbol('REVIEW_OVERDUE_INTERVAL_MS');

/** Announces reviews past their period (ReviewOverdue), on one instance at a time; each is announced once. */
@Injectable()
export class ReviewOverdueJob extends ScheduledJob {
  constructor(
    private readonly reviews: ReviewsService,
    dataSource: DataSource,
    @Inject(REVIEW_OVERDUE_INTERVAL_MS) intervalMs: number,
  ) {
    super(dataSource, 'review-overdue', intervalMs);
  }

  protected async run(): Promise<void> {
    const announced = await this.reviews.announceOverdue();
    if (announced > 0) this.logger.log(`announced ${announced} overdue review(s)`);
  }
}
