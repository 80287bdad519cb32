import { Module } from '@nestjs/common';
import { CaseStoreModule } from '../cases/case-store.module';
import { RecordsModule } from '../records/records.module';
import { CatalogPublishedConsumer } from './catalog-published.consumer';
import { LegalReviewResultConsumer } from './legal-review-result.consumer';
import { ReviewDemandedConsumer } from './review-demanded.consumer';

/**
 * What the legal-review service decides (enforcement.legalreview.v1): its conclusions into the cases
 * (ReviewConcluded), its catalog's large amounts into the agencies' procedure settings (CatalogPublished), the
 * cases an agency head or supervisor sends to review (ReviewDemanded).
 */
@Module({
  imports: [CaseStoreModule, RecordsModule],
  providers: [LegalReviewResultConsumer, CatalogPublishedConsumer, ReviewDemandedConsumer],
})
export class LegalReviewResultsModule {}
