import { Module, type DynamicModule } from '@nestjs/common';
import { Evidence1763700005000 } from '../migrations/1763700005000-evidence';
import { EvidenceFixityAndLateFootage1763700016700 } from '../migrations/1763700016700-evidence-fixity-and-late-footage';
import { ProcedureModule } from '../procedure/procedure.module';
import { EvidenceFixityAlarmService } from './evidence-fixity-alarm.service';
import { EvidenceFixityCheckEntity } from './evidence-fixity-check.entity';
import { EvidenceFixityCheckRepository } from './evidence-fixity-check.repository';
import { EvidenceFixitySweepJob } from './evidence-fixity-sweep.job';
import { EvidenceFixityController } from './evidence-fixity.controller';
import { EvidenceFixityService } from './evidence-fixity.service';
import { EvidenceItemEntity } from './evidence-item.entity';
import { EvidenceItemRepository } from './evidence-item.repository';
import { EvidencePlaybackService } from './evidence-playback.service';
import { EvidenceSealerService } from './evidence-sealer.service';
import { EvidenceSupervisionController } from './evidence-supervision.controller';
import { EvidenceUploadPartEntity } from './evidence-upload-part.entity';
import { EvidenceUploadEntity } from './evidence-upload.entity';
import { EvidenceUploadRepository } from './evidence-upload.repository';
import { EvidenceUploadService } from './evidence-upload.service';
import { EvidenceUploadSweeper } from './evidence-upload.sweeper';
import { EvidenceUploadsController } from './evidence-uploads.controller';
import { EvidenceViewLogService } from './evidence-view-log.service';
import { EvidenceViewEntity } from './evidence-view.entity';
import { EvidenceViewRepository } from './evidence-view.repository';
import { EvidenceController } from './evidence.controller';
import { EVIDENCE_OPTIONS, resolveEvidenceOptions, type EvidenceOptions } from './evidence.options';

/** Add to the recording service's entities and migrations. */
export const EVIDENCE_ENTITIES = [
  EvidenceItemEntity,
  EvidenceUploadEntity,
  EvidenceUploadPartEntity,
  EvidenceViewEntity,
  EvidenceFixityCheckEntity,
];
export const EVIDENCE_MIGRATIONS = [Evidence1763700005000, EvidenceFixityAndLateFootage1763700016700];

/**
 * Audio/video evidence: resumable uploads to object storage, sealing into the case's hash chain, playback and
 * the viewing log. Needs the runtime (DataSource, TransactionalOutbox, auth), StorageModule (OBJECT_STORAGE),
 * CertificateCheckModule and the global CasesModule (CaseAccessService, CaseScopeResolver, RecordAppenderService).
 *
 * Import `EvidenceModule` for the defaults, or `EvidenceModule.forRoot({...})` to change them.
 */
@Module({
  // The agencies' footage limits come from the one ProcedureSettingsRepository.
  imports: [ProcedureModule],
  controllers: [EvidenceUploadsController, EvidenceController, EvidenceSupervisionController, EvidenceFixityController],
  // CaseAccessService and RecordAppenderService come from the global CasesModule (one appender keeps deadlines in step).
  providers: [
    EvidenceUploadRepository,
    EvidenceItemRepository,
    EvidenceViewRepository,
    EvidenceUploadService,
    EvidenceSealerService,
    EvidencePlaybackService,
    EvidenceViewLogService,
    EvidenceUploadSweeper,
    EvidenceFixityCheckRepository,
    EvidenceFixityAlarmService,
    EvidenceFixityService,
    EvidenceFixitySweepJob,
  ],
  exports: [EvidenceViewLogService, EvidenceFixityAlarmService],
})
export class EvidenceModule {
  static forRoot(options: Partial<EvidenceOptions> = {}): DynamicModule {
    return {
      module: EvidenceModule,
      providers: [{ provide: EVIDENCE_OPTIONS, useValue: resolveEvidenceOptions(options) }],
    };
  }
}
