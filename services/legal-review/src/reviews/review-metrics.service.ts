import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Metrics } from '@enforcement/observability';
import { ReviewRepository } from './review.repository';

/** reviews_overdue, counted in the database at each scrape: any replica answers the same, none keeps a tally. */
@Injectable()
export class ReviewMetricsService implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly reviews: ReviewRepository,
  ) {}

  onModuleInit(): void {
    this.metrics.reviewsOverdue(() => this.reviews.countOverdue(new Date()));
  }
}
