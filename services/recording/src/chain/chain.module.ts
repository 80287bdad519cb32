import { Module } from '@nestjs/common';
import { CaseAccessService } from '../cases/case-access.service';
import { ChainSnapshotRepository } from './chain-snapshot.repository';
import { ChainVerificationController } from './chain-verification.controller';
import { ChainVerificationService } from './chain-verification.service';

/**
 * Tamper evidence of the full-process record: GET /cases/:caseId/verification. Needs the recording
 * entities (cases, case_records, evidence_items) and the global OBJECT_STORAGE (StorageModule).
 */
@Module({
  controllers: [ChainVerificationController],
  // CaseAccessService is stateless; providing it here keeps the module usable whoever else provides it.
  providers: [ChainVerificationService, ChainSnapshotRepository, CaseAccessService],
  exports: [ChainVerificationService],
})
export class ChainModule {}
