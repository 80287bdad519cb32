import { Module } from '@nestjs/common';
import { CaseStoreModule } from '../cases/case-store.module';
import { RecordsModule } from '../records/records.module';
import { LegalReviewResultConsumer } from './legal-review-result.consumer';

/** The legal-review service's conclusions (enforcement.legalreview.v1 ReviewConcluded) into the cases. */
@Module({
  imports: [CaseStoreModule, RecordsModule],
  providers: [LegalReviewResultConsumer],
})
export class LegalReviewResultsModule {}
