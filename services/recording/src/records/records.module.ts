import { Global, Module } from '@nestjs/common';
import { CaseStoreModule } from '../cases/case-store.module';
import { CaseRecordRepository } from './case-record.repository';
import { RecordAppender } from './record-appender';

/** The hash-chained record: one RecordAppender for every feature that appends (steps, evidence, legal review). */
@Global()
@Module({
  imports: [CaseStoreModule],
  providers: [CaseRecordRepository, RecordAppender],
  exports: [CaseRecordRepository, RecordAppender],
})
export class RecordsModule {}
