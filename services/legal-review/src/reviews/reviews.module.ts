import { Module } from '@nestjs/common';
import { OFFICIAL_CALENDAR_YEARS, WorkingDayCalendar } from '@enforcement/calendar';
import { SERVICE_CONFIG } from '@enforcement/service-runtime';
import { CatalogModule } from '../catalog/catalog.module';
import type { LegalReviewConfig } from '../config/legal-review-settings';
import { BenchmarkModule } from '../discretion/benchmark.module';
import { ReviewerDirectory } from '../reviewers/reviewer-directory';
import { DecisionProposedConsumer } from './decision-proposed.consumer';
import { NO_OPINION_DOCUMENT, OPINION_RENDERER } from './opinion-renderer';
import { REVIEW_OVERDUE_INTERVAL_MS, ReviewOverdueJob } from './review-overdue.job';
import { ReviewRepository } from './review.repository';
import { ReviewsController } from './reviews.controller';
import { REVIEW_CALENDAR, ReviewsService } from './reviews.service';

@Module({
  imports: [CatalogModule, BenchmarkModule],
  controllers: [ReviewsController],
  providers: [
    ReviewRepository,
    ReviewerDirectory,
    ReviewsService,
    DecisionProposedConsumer,
    ReviewOverdueJob,
    // The shipped official years; a year not shipped counts Monday to Friday (see docs/legal-rules.md).
    { provide: REVIEW_CALENDAR, useFactory: () => new WorkingDayCalendar(OFFICIAL_CALENDAR_YEARS) },
    { provide: OPINION_RENDERER, useValue: NO_OPINION_DOCUMENT },
    {
      provide: REVIEW_OVERDUE_INTERVAL_MS,
      inject: [SERVICE_CONFIG],
      useFactory: (config: LegalReviewConfig) => config.settings.overdueCheckIntervalMs,
    },
  ],
  exports: [ReviewsService],
})
export class ReviewsModule {}
