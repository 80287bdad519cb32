import { Module } from '@nestjs/common';
import { CalendarFollowerModule, CalendarFollowerService } from '@enforcement/calendar-follower';
import { SERVICE_CONFIG } from '@enforcement/service-runtime';
import { AgencyDirectoryConsumer } from '../agencies/agency-directory.consumer';
import { KnownAgencyRepository } from '../agencies/known-agency.repository';
import { CatalogModule } from '../catalog/catalog.module';
import type { LegalReviewConfig } from '../config/legal-review-settings';
import { BenchmarkModule } from '../discretion/benchmark.module';
import { OPINION_RENDERER } from '../opinion/opinion-renderer';
import { OpinionStoreService } from '../opinion/opinion-store.service';
import { ReviewerDirectoryRepository } from '../reviewers/reviewer-directory.repository';
import { ReviewerDirectoryService } from '../reviewers/reviewer-directory.service';
import { DecisionProposedConsumer } from './decision-proposed.consumer';
import { ReviewMetricsService } from './review-metrics.service';
import { REVIEW_OVERDUE_INTERVAL_MS, ReviewOverdueJob } from './review-overdue.job';
import { ReviewRepository } from './review.repository';
import { ReviewsController } from './reviews.controller';
import { REVIEW_CALENDAR, ReviewsService } from './reviews.service';

@Module({
  imports: [CatalogModule, BenchmarkModule, CalendarFollowerModule],
  controllers: [ReviewsController],
  providers: [
    ReviewRepository,
    ReviewerDirectoryRepository,
    ReviewerDirectoryService,
    ReviewsService,
    DecisionProposedConsumer,
    ReviewOverdueJob,
    ReviewMetricsService,
    // Recording's working-day calendar as followed here (the shipped years until a year is loaded there).
    { provide: REVIEW_CALENDAR, useExisting: CalendarFollowerService },
    KnownAgencyRepository,
    AgencyDirectoryConsumer,
    OpinionStoreService,
    { provide: OPINION_RENDERER, useExisting: OpinionStoreService },
    {
      provide: REVIEW_OVERDUE_INTERVAL_MS,
      inject: [SERVICE_CONFIG],
      useFactory: (config: LegalReviewConfig) => config.settings.overdueCheckIntervalMs,
    },
  ],
  exports: [ReviewsService],
})
export class ReviewsModule {}
