import { Module } from '@nestjs/common';
import { OFFICIAL_CALENDAR_YEARS, WorkingDayCalendar } from '@enforcement/calendar';
import { SERVICE_CONFIG } from '@enforcement/service-runtime';
import { AgencyDirectoryConsumer } from '../agencies/agency-directory.consumer';
import { CatalogModule } from '../catalog/catalog.module';
import type { LegalReviewConfig } from '../config/legal-review-settings';
import { BenchmarkModule } from '../discretion/benchmark.module';
import { OPINION_RENDERER } from '../opinion/opinion-renderer';
import { OpinionStore } from '../opinion/opinion-store';
import { ReviewerDirectory } from '../reviewers/reviewer-directory';
import { DecisionProposedConsumer } from './decision-proposed.consumer';
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
    AgencyDirectoryConsumer,
    OpinionStore,
    { provide: OPINION_RENDERER, useExisting: OpinionStore },
    {
      provide: REVIEW_OVERDUE_INTERVAL_MS,
      inject: [SERVICE_CONFIG],
      useFactory: (config: LegalReviewConfig) => config.settings.overdueCheckIntervalMs,
    },
  ],
  exports: [ReviewsService],
})
export class ReviewsModule {}
