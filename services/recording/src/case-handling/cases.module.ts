import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { CaseStoreModule } from '../cases/case-store.module';
import { FieldCipherModule } from '../crypto/field-cipher.module';
import { EvidenceItemRepository } from '../evidence/evidence-item.repository';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { ProcedureModule } from '../procedure/procedure.module';
import { RecordsModule } from '../records/records.module';
import { AudioVideoGapsController } from './audio-video-gaps.controller';
import { AudioVideoGapsService } from './audio-video-gaps.service';
import { CaseIntegrationEventsSubscriber } from './case-integration-events.subscriber';
import { CaseNumberFormatController } from './case-number-format.controller';
import { CaseUnitOfWorkService } from './case-unit-of-work.service';
import { CasesController } from './cases.controller';
import { CasesService } from './cases.service';
import { DecisionPeriodExtensionController } from './decision-period-extension.controller';
import { DecisionPeriodExtensionService } from './decision-period-extension.service';
import { PartyDataReadsController } from './party-data-reads.controller';
import { ProcedureSettingsController } from './procedure-settings.controller';
import { ProcedureFactory } from './procedure.factory';

/**
 * Opening cases and recording their steps: the top of the case flow. The effects on deadlines and archives are
 * not called from here; they subscribe to the aggregate's events on the DomainEventBus.
 */
@Module({
  imports: [ProcedureModule, CalendarModule, FieldCipherModule, CaseStoreModule, RecordsModule, IdempotencyModule],
  controllers: [
    CasesController,
    ProcedureSettingsController,
    CaseNumberFormatController,
    AudioVideoGapsController,
    DecisionPeriodExtensionController,
    PartyDataReadsController,
  ],
  providers: [
    CasesService,
    AudioVideoGapsService,
    DecisionPeriodExtensionService,
    CaseUnitOfWorkService,
    CaseIntegrationEventsSubscriber,
    ProcedureFactory,
    EvidenceItemRepository,
  ],
  exports: [CasesService],
})
export class CasesModule {}
