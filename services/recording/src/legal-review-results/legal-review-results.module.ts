import { Module } from '@nestjs/common';
import { CaseStoreModule } from '../cases/case-store.module';
import { RecordsModule } from '../records/records.module';
import { CatalogPublishedConsumer } from './catalog-published.consumer';
import { LegalReviewResultConsumer } from './legal-review-result.consumer';

/**
 * What the legal-review service decides (enforcement.legalreview.v1): its conclusions into the cases
 * (ReviewConcluded), its catalog's large amounts into the agencies' procedure settings (CatalogPublished).
 */
@Module({
  imports: [CaseStoreModule, RecordsModule],
  providers: [LegalReviewResultConsumer, CatalogPublishedConsumer],
})
export class LegalReviewResultsModule {}
