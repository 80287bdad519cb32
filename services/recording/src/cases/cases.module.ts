import { Global, Module } from '@nestjs/common';
import { ArchiveModule } from '../archive/archive.module';
import { CalendarModule } from '../calendar/calendar.module';
import { FieldCipherModule } from '../crypto/field-cipher.module';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { RecordAppender } from '../records/record-appender';
import { CaseAccess } from './case-access.service';
import { CaseScope } from './case-scope.resolver';
import { CasesController } from './cases.controller';
import { CasesService } from './cases.service';
import { LegalReviewResultConsumer } from './legal-review-result.consumer';
import { ProcedureFactory } from './procedure.factory';

/** Cases and their record; CaseAccess, CaseScope and RecordAppender serve the evidence and chain contexts too. */
@Global()
@Module({
  imports: [CalendarModule, FieldCipherModule, DeadlinesModule, ArchiveModule],
  controllers: [CasesController],
  providers: [CasesService, CaseAccess, CaseScope, RecordAppender, ProcedureFactory, LegalReviewResultConsumer],
  exports: [CaseAccess, CaseScope, RecordAppender, CasesService],
})
export class CasesModule {}
