import { Module } from '@nestjs/common';
import { CaseStoreModule } from '../cases/case-store.module';
import { ProcedureModule } from '../procedure/procedure.module';
import { RecordsModule } from '../records/records.module';
import { CatalogPublishedConsumer } from './catalog-published.consumer';
import { LegalReviewResultConsumer } from './legal-review-result.consumer';
import { PenaltyNotifiedSubscriber } from './penalty-notified.subscriber';
import { ReviewDemandedConsumer } from './review-demanded.consumer';
import { ReviewerQualificationRepository } from './reviewer-qualification.repository';

/**
 * What the legal-review service decides (enforcement.legalreview.v1): its conclusions into the cases
 * (ReviewConcluded), its catalog's large amounts into the agencies' procedure settings (CatalogPublished), the
 * cases an agency head, a supervisor or the catalog sends to review (ReviewDemanded); and every notice out to it
 * (PenaltyNotified), for the catalog to match.
 */
@Module({
  imports: [ProcedureModule, CaseStoreModule, RecordsModule],
  providers: [
    LegalReviewResultConsumer,
    CatalogPublishedConsumer,
    ReviewDemandedConsumer,
    PenaltyNotifiedSubscriber,
    ReviewerQualificationRepository,
  ],
})
export class LegalReviewResultsModule {}
