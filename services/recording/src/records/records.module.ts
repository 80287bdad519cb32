import { Global, Module } from '@nestjs/common';
import { CaseStoreModule } from '../cases/case-store.module';
import { CaseRecordRepository } from './case-record.repository';
import { RecordAppenderService } from './record-appender.service';

/** The hash-chained record: one RecordAppenderService for every feature that appends (steps, evidence, legal review). */
@Global()
@Module({
  imports: [CaseStoreModule],
  providers: [CaseRecordRepository, RecordAppenderService],
  exports: [CaseRecordRepository, RecordAppenderService],
})
export class RecordsModule {}
