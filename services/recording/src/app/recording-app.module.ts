import { DynamicModule, Module } from '@nestjs/common';
import { CERTIFICATE_READ_MODEL_ENTITIES, CERTIFICATE_READ_MODEL_MIGRATIONS, CertificateCheckModule } from '@enforcement/certificates';
import { RuntimeModule, StorageModule, type ServiceContext } from '@enforcement/service-runtime';
import { AgencyDirectoryModule } from '../agency-directory/agency-directory.module';
import { KnownAgencyEntity } from '../agency-directory/known-agency.entity';
import { ARCHIVE_ENTITIES, ARCHIVE_MIGRATIONS, ArchiveModule } from '../archive/archive.module';
import { CalendarModule } from '../calendar/calendar.module';
import { CasesModule } from '../case-handling/cases.module';
import { CaseNumberCounterEntity } from '../cases/case-number-counter.entity';
import { CaseNumberFormatEntity } from '../cases/case-number-format.entity';
import { CasePartyEntity } from '../cases/case-party.entity';
import { CaseStoreModule } from '../cases/case-store.module';
import { CaseEntity } from '../cases/case.entity';
import { PartyDataReadEntity } from '../cases/party-data-read.entity';
import { PreflightModule } from '../certificate-check/preflight.module';
import { ChainModule } from '../chain/chain.module';
import type { RecordingConfig } from '../config/recording-settings';
import { CALENDAR_AND_DEADLINE_ENTITIES, CALENDAR_AND_DEADLINE_MIGRATIONS, DeadlinesModule } from '../deadlines/deadlines.module';
import { EVIDENCE_ENTITIES, EVIDENCE_MIGRATIONS, EvidenceModule } from '../evidence/evidence.module';
import { IDEMPOTENCY_ENTITIES, IDEMPOTENCY_MIGRATIONS } from '../idempotency/idempotency.module';
import { LateEntriesModule, PROCEDURE_SETTINGS_ENTITIES, PROCEDURE_SETTINGS_MIGRATIONS } from '../late-entries/late-entries.module';
import { LegalReviewResultsModule } from '../legal-review-results/legal-review-results.module';
import { KnownAgencies1763700002000 } from '../migrations/1763700002000-known-agencies';
import { CasesAndRecords1763700004000 } from '../migrations/1763700004000-cases-and-records';
import { AudioVideoRequirements1763700008000 } from '../migrations/1763700008000-audio-video-requirements';
import { CaseNumberSequences1763700009000 } from '../migrations/1763700009000-case-number-sequences';
import { CaseProcedureStates1763700010000 } from '../migrations/1763700010000-case-procedure-states';
import { CaseCourse1763700013600 } from '../migrations/1763700013600-case-course';
import { YearlyCaseNumbers1763700014000 } from '../migrations/1763700014000-yearly-case-numbers';
import { PartyDataReads1763700014500 } from '../migrations/1763700014500-party-data-reads';
import { CaseTraceParent1764100001000 } from '../migrations/1764100001000-case-trace-parent';
import { CaseStateSeal1764100003000 } from '../migrations/1764100003000-case-state-seal';
import { AudioVideoRequirementEntity } from '../procedure/audio-video-requirement.entity';
import { CaseRecordEntity } from '../records/case-record.entity';
import { RecordsModule } from '../records/records.module';

@Module({})
export class RecordingAppModule {
  static forRoot(context: ServiceContext): DynamicModule {
    return {
      module: RecordingAppModule,
      imports: [
        RuntimeModule.forRoot({
          ...context,
          entities: [
            KnownAgencyEntity,
            ...CERTIFICATE_READ_MODEL_ENTITIES,
            CaseEntity,
            CasePartyEntity,
            CaseNumberCounterEntity,
            CaseNumberFormatEntity,
            PartyDataReadEntity,
            CaseRecordEntity,
            AudioVideoRequirementEntity,
            ...EVIDENCE_ENTITIES,
            ...CALENDAR_AND_DEADLINE_ENTITIES,
            ...ARCHIVE_ENTITIES,
            ...PROCEDURE_SETTINGS_ENTITIES,
            ...IDEMPOTENCY_ENTITIES,
          ],
          migrations: [
            KnownAgencies1763700002000,
            ...CERTIFICATE_READ_MODEL_MIGRATIONS,
            CasesAndRecords1763700004000,
            ...EVIDENCE_MIGRATIONS,
            ...CALENDAR_AND_DEADLINE_MIGRATIONS,
            ...ARCHIVE_MIGRATIONS,
            AudioVideoRequirements1763700008000,
            CaseNumberSequences1763700009000,
            CaseProcedureStates1763700010000,
            CaseCourse1763700013600,
            YearlyCaseNumbers1763700014000,
            PartyDataReads1763700014500,
            CaseTraceParent1764100001000,
            CaseStateSeal1764100003000,
            ...PROCEDURE_SETTINGS_MIGRATIONS,
            ...IDEMPOTENCY_MIGRATIONS,
          ],
        }),
        StorageModule.forRoot(),
        CertificateCheckModule.forRoot(),
        AgencyDirectoryModule,
        PreflightModule,
        CalendarModule,
        CaseStoreModule,
        RecordsModule,
        CasesModule,
        LegalReviewResultsModule,
        EvidenceModule.forRoot({
          ...(context.config as RecordingConfig).settings.evidenceQuotas,
          ...(context.config as RecordingConfig).settings.evidenceFixity,
        }),
        DeadlinesModule,
        ChainModule,
        ArchiveModule,
        LateEntriesModule,
      ],
    };
  }
}
