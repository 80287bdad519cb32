import { Module } from '@nestjs/common';
import { CaseStoreModule } from '../cases/case-store.module';
import { AgencyProcedureSettings1763700012500 } from '../migrations/1763700012500-agency-procedure-settings';
import { FootageUploadLimit1763700016800 } from '../migrations/1763700016800-footage-upload-limit';
import { AgencyProcedureSettingsEntity } from '../procedure/procedure-settings.entity';
import { CaseLateEntryEntity } from './case-late-entry.entity';
import { CaseLateEntryRepository } from './case-late-entry.repository';
import { LateEntriesController } from './late-entries.controller';
import { LateEntryLogService } from './late-entry-log.service';

/** Add to the service's entities and migrations: agencies' procedure settings and the late-entry list. */
export const PROCEDURE_SETTINGS_ENTITIES = [AgencyProcedureSettingsEntity, CaseLateEntryEntity];
export const PROCEDURE_SETTINGS_MIGRATIONS = [AgencyProcedureSettings1763700012500, FootageUploadLimit1763700016800];

/** Steps entered late (补录): logged in the appending transaction, listed for supervisors. */
@Module({
  imports: [CaseStoreModule],
  controllers: [LateEntriesController],
  providers: [LateEntryLogService, CaseLateEntryRepository],
})
export class LateEntriesModule {}
