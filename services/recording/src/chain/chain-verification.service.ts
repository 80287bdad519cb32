import { Inject, Injectable } from '@nestjs/common';
import { OBJECT_STORAGE } from '@enforcement/service-runtime';
import { isStorageError, StorageErrorCode, type ObjectStorage } from '@enforcement/storage';
import { RecordingError } from '../case-core/recording.error';
import { CaseStateSeal } from '../cases/case-state-seal';
import type { EvidenceItemEntity } from '../evidence/evidence-item.entity';
import { ChainSnapshotRepository } from './chain-snapshot.repository';
import { ChainVerifier, type ChainVerificationReport, type EvidenceDigestSource } from './chain-verifier';

/** Re-hashes an evidence object from object storage, streaming it (never whole in memory). */
export function storageDigestSource(storage: ObjectStorage): EvidenceDigestSource<EvidenceItemEntity> {
  return async (item) => {
    try {
      return await storage.sha256Of(item.objectKey);
    } catch (error) {
      if (isStorageError(error, StorageErrorCode.ObjectNotFound)) return 'missing';
      throw error;
    }
  };
}

export interface LiveVerificationReport extends ChainVerificationReport {
  caseId: string;
  caseNumber: string;
  chainHead: string;
}

/**
 * Verifies a case against what the service holds now: its rows in the database and its evidence objects
 * in object storage. Used by GET /cases/:caseId/verification and by `npm run verify -- --case`.
 */
@Injectable()
export class ChainVerificationService {
  private readonly verifier: ChainVerifier;

  constructor(
    private readonly chains: ChainSnapshotRepository,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    private readonly seal: CaseStateSeal,
  ) {
    this.verifier = new ChainVerifier();
  }

  async verify(caseId: string): Promise<LiveVerificationReport> {
    const snapshot = await this.chains.snapshot(caseId);
    if (!snapshot) throw new RecordingError('CASE_NOT_FOUND', '案件不存在', 'not-found');
    const { found, partyKind, records, evidence } = snapshot;
    const state = {
      status: found.status,
      legalReviewStatus: found.legalReviewStatus,
      closedAt: found.closedAt ? found.closedAt.toISOString() : null,
      partyKind,
      sealed: this.seal.holds(found, found.stateSeal),
    };
    // Objects are re-hashed after the transaction: that can take minutes and must not hold it open.
    const report = await this.verifier.verify({
      caseSummary: { id: found.id, recordCount: found.recordCount, chainHead: found.chainHead, state },
      records,
      evidence,
      digestOf: storageDigestSource(this.storage),
    });
    return { caseId: found.id, caseNumber: found.caseNumber, chainHead: found.chainHead, ...report };
  }
}
