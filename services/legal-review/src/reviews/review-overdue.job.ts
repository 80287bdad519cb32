import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DEFAULT_JOB_LEASE_TTL_MS, SingletonJob } from '@enforcement/events';
import { DataSource } from 'typeorm';
import { ReviewsService } from './reviews.service';

export const REVIEW_OVERDUE_INTERVAL_MS = Symbol('REVIEW_OVERDUE_INTERVAL_MS');

/** Announces reviews past their period (ReviewOverdue), on one instance at a time; each is announced once. */
@Injectable()
export class ReviewOverdueJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReviewOverdueJob.name);
  private readonly job: SingletonJob | undefined;

  constructor(reviews: ReviewsService, dataSource: DataSource, @Inject(REVIEW_OVERDUE_INTERVAL_MS) intervalMs: number) {
    if (intervalMs === 0) return;
    this.job = new SingletonJob(
      dataSource,
      { name: 'review-overdue', intervalMs, leaseTtlMs: DEFAULT_JOB_LEASE_TTL_MS },
      async () => {
        const announced = await reviews.announceOverdue();
        if (announced > 0) this.logger.log(`announced ${announced} overdue review(s)`);
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
