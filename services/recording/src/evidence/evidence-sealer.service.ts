import { Inject, Injectable, Optional } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import type { PresentedCertificate } from '@enforcement/certificates';
import { Events, timestampFromDate } from '@enforcement/contracts';
import { TransactionalOutbox } from '@enforcement/events';
import { OBJECT_STORAGE } from '@enforcement/service-runtime';
import { DigestMismatchError, type ObjectStorage } from '@enforcement/storage';
import { LATE_ENTRY_FIELD } from '../case-core/procedure-settings';
import { isRecordingError } from '../case-core/recording.error';
import { CaseAccessService } from '../cases/case-access.service';
import { ProcedureSettingsRepository } from '../procedure/procedure-settings.repository';
import { RecordAppenderService } from '../records/record-appender.service';
import type { EvidenceItemEntity } from './evidence-item.entity';
import { EvidenceItemRepository } from './evidence-item.repository';
import { evidenceItemView, type EvidenceItemView } from './evidence-item.view';
import type { EvidenceUploadPartEntity } from './evidence-upload-part.entity';
import type { EvidenceUploadCloseReason, EvidenceUploadEntity } from './evidence-upload.entity';
import { EvidenceUploadRepository } from './evidence-upload.repository';
import { findUpload, partPlanOf } from './evidence-upload.service';
import { EvidenceErrors, fromStorageError } from './evidence.errors';
import { EVIDENCE_OPTIONS, resolveEvidenceOptions, type EvidenceOptions } from './evidence.options';
import { lateFootageReason } from './late-footage';
import { missingParts } from './part-plan';

/** The step type of the record that fixes an evidence item's digest in the case's hash chain. */
export const EVIDENCE_SEALED_STEP = 'evidence-sealed';

/** Appends racing on the same case are retried this often before the caller is told to try again. */
const SEAL_ATTEMPTS = 3;

/**
 * Completes an upload into a sealed evidence item (Administrative Penalty Law Art. 47: evidence collection is
 * recorded in audio/video and archived; originals are never edited).
 *
 * The server does not trust the client's digest: storage assembles the parts, reads the object back and
 * hashes it; on a mismatch it removes the object, so nothing half-written stays visible, and the upload is
 * used up. Only a verified object is sealed, and sealing is ONE outbox transaction: the item, the
 * 'evidence-sealed' record in the case's hash chain and the EvidenceSealed event commit together or not at
 * all.
 */
@Injectable()
export class EvidenceSealerService {
  private readonly options: EvidenceOptions;

  constructor(
    private readonly uploads: EvidenceUploadRepository,
    private readonly items: EvidenceItemRepository,
    private readonly cases: CaseAccessService,
    private readonly outbox: TransactionalOutbox,
    private readonly appender: RecordAppenderService,
    private readonly procedureSettings: ProcedureSettingsRepository,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Optional() @Inject(EVIDENCE_OPTIONS) options?: Partial<EvidenceOptions>,
  ) {
    this.options = resolveEvidenceOptions(options);
  }

  async complete(
    user: AuthenticatedUser,
    caseId: string,
    uploadId: string,
    claimedSha256: string,
    presented: readonly PresentedCertificate[],
    lateEntryReason?: string,
  ): Promise<EvidenceItemView> {
    const sha256 = claimedSha256.toLowerCase();
    const caseRow = await this.cases.forAction(user, caseId);
    const upload = await findUpload(this.uploads, caseId, uploadId);
    if (upload.status === 'completed') return this.alreadySealed(upload, sha256);
    if (upload.status === 'aborted') throw EvidenceErrors.uploadClosed(upload.closeReason ?? 'aborted');
    // Expiry ends the wait for parts; an object already stored and verified may still be sealed.
    if (upload.status === 'open' && upload.storedSha256 === null && upload.expiresAt <= this.options.clock()) {
      throw EvidenceErrors.uploadClosed('expired');
    }

    const parts = await this.uploads.partsOf(upload.id);
    // Checked before storage is asked: S3 assembles whatever parts it is listed, so an upload with a gap
    // would come out short, fail its digest check and be used up, where a missing part can still be sent.
    const missing = missingParts(
      partPlanOf(upload),
      parts.map((part) => part.partNumber),
    );
    if (missing.length > 0) throw EvidenceErrors.partsMissing(missing);
    const declared = Number(upload.sizeBytes);
    const received = parts.reduce((sum, part) => sum + part.sizeBytes, 0);
    if (received !== declared) throw EvidenceErrors.sizeMismatch(declared, received);
    // Footage past the agency's limit is sealed only with a reason: refused here, before storage is asked, so the
    // upload stays open for a completion that gives one.
    const late = {
      limitMs: (await this.procedureSettings.settingsOf(caseRow.agencyId)).policy.footageUploadLimitMs,
      reason: upload.lateEntryReason ?? lateEntryReason,
    };
    lateFootageReason({ ...late, mediaType: upload.mediaType, recordingEndedAt: upload.recordingEndedAt, at: this.options.clock() });

    if (!(await this.claim(upload))) throw EvidenceErrors.uploadBusy();
    let closed = false;
    try {
      const stored = await this.storeVerified(upload, parts, sha256, async (reason) => {
        closed = await this.closeClaimed(upload, reason);
      });
      return await this.seal(user, upload, stored, presented, late);
    } catch (error) {
      // A case closed while its evidence was on the way takes no more: the upload ends, its object is kept unsealed.
      if (!closed && isRecordingError(error, 'CASE_CLOSED')) closed = await this.closeClaimed(upload, 'case-closed');
      if (!closed) await this.release(upload);
      throw fromStorageError(error);
    }
  }

  /** A completion repeated after its answer was lost gets the same item; another digest is refused. */
  private async alreadySealed(upload: EvidenceUploadEntity, sha256: string): Promise<EvidenceItemView> {
    const item = await this.items.find(upload.evidenceId);
    if (!item || item.sha256 !== sha256) throw EvidenceErrors.uploadClosed('completed');
    return evidenceItemView(item);
  }

  /**
   * Has storage assemble and verify the object, once. If an earlier completion got that far and then failed
   * (the sealing transaction, or the process), the object is verified again from storage instead.
   */
  private async storeVerified(
    upload: EvidenceUploadEntity,
    parts: readonly EvidenceUploadPartEntity[],
    sha256: string,
    closeAs: (reason: EvidenceUploadCloseReason) => Promise<void>,
  ): Promise<{ sha256: string; size: number }> {
    const declared = Number(upload.sizeBytes);
    if (upload.storedSha256 !== null) {
      if (upload.storedSha256 !== sha256) throw EvidenceErrors.digestMismatch(sha256, upload.storedSha256);
      return { sha256: upload.storedSha256, size: declared };
    }
    let stored: { sha256: string; size: number };
    if (await this.storage.exists(upload.objectKey)) {
      const [actual, stat] = await Promise.all([this.storage.sha256Of(upload.objectKey), this.storage.stat(upload.objectKey)]);
      // This object passed the digest check of the completion that made it; a wrong digest now is the
      // client's mistake, and the verified original stays (originals are never removed).
      if (actual !== sha256) throw EvidenceErrors.digestMismatch(sha256, actual);
      stored = { sha256: actual, size: stat.size };
    } else {
      try {
        stored = await this.storage.completeMultipart(
          upload.objectKey,
          upload.storageUploadId,
          parts.map(({ partNumber, etag }) => ({ partNumber, etag })),
          { expectedSha256: sha256 },
        );
      } catch (error) {
        if (error instanceof DigestMismatchError) {
          // Storage removed the object and the multipart upload is used up: the client starts again.
          await closeAs('digest-mismatch');
          throw EvidenceErrors.digestMismatch(sha256, error.actualSha256);
        }
        throw error;
      }
    }
    if (stored.sha256 !== sha256) {
      // Adapters check the digest themselves; this guards against one that did not.
      await closeAs('digest-mismatch');
      throw EvidenceErrors.digestMismatch(sha256, stored.sha256);
    }
    if (stored.size !== declared) {
      // Unreachable while every part is held to its size; if it happens, the object is never sealed.
      await closeAs('size-mismatch');
      throw EvidenceErrors.sizeMismatch(declared, stored.size);
    }
    await this.uploads.markStored(upload.id, stored.sha256);
    return stored;
  }

  private async seal(
    user: AuthenticatedUser,
    upload: EvidenceUploadEntity,
    stored: { sha256: string; size: number },
    presented: readonly PresentedCertificate[],
    late: { limitMs: number; reason: string | null | undefined },
  ): Promise<EvidenceItemView> {
    for (let attempt = 1; ; attempt++) {
      try {
        const item = await this.outbox.run(async (tx) => {
          const caseRow = await this.cases.forAction(user, upload.caseId, tx.manager);
          // Art. 47: a closed case's record and archive are final; nothing is sealed into it afterwards.
          if (caseRow.status === 'closed') throw EvidenceErrors.caseClosed();
          const sealedAt = this.options.clock();
          const lateEntryReason = lateFootageReason({
            ...late,
            mediaType: upload.mediaType,
            recordingEndedAt: upload.recordingEndedAt,
            at: sealedAt,
          });
          const fields: Record<string, unknown> = {
            mediaType: upload.mediaType,
            sizeBytes: stored.size,
            deviceId: upload.deviceId,
            officerId: upload.officerId,
            recordingStartedAt: upload.recordingStartedAt.toISOString(),
            recordingEndedAt: upload.recordingEndedAt.toISOString(),
          };
          if (upload.stepRecordId !== null) fields['stepRecordId'] = upload.stepRecordId;
          // Hashed with the record, and what puts the footage on the supervisors' late-entry list.
          if (lateEntryReason !== null) fields[LATE_ENTRY_FIELD] = lateEntryReason;
          const record = await this.appender.append(tx, caseRow, {
            stepType: EVIDENCE_SEALED_STEP,
            occurredAt: sealedAt,
            recordedBy: user.userId,
            place: '',
            actingOfficerIds: [user.userId],
            certificates: [...presented],
            fields,
            text: `封存音像证据：${upload.mediaType}，${stored.size} 字节，记录设备 ${upload.deviceId}，SHA-256 ${stored.sha256}`,
            evidence: [{ evidenceId: upload.evidenceId, sha256: stored.sha256 }],
          });
          const sealed: EvidenceItemEntity = {
            id: upload.evidenceId,
            caseId: caseRow.id,
            objectKey: upload.objectKey,
            sha256: stored.sha256,
            sizeBytes: String(stored.size),
            mediaType: upload.mediaType,
            deviceId: upload.deviceId,
            officerId: upload.officerId,
            recordingStartedAt: upload.recordingStartedAt,
            recordingEndedAt: upload.recordingEndedAt,
            stepRecordId: upload.stepRecordId,
            lateEntryReason,
            sealedAt,
            sealRecordId: record.id,
          };
          await this.items.insert(tx, sealed);
          // Our claim lapsed and another completion took the upload over: let that one seal it.
          if (!(await this.uploads.finishSealing(tx, upload.id, sealedAt))) throw EvidenceErrors.uploadBusy();
          await tx.emit(
            Events.EvidenceSealed,
            {
              caseId: caseRow.id,
              evidenceId: sealed.id,
              sha256: sealed.sha256,
              sizeBytes: BigInt(stored.size),
              mediaType: sealed.mediaType,
              deviceId: sealed.deviceId,
              recordingStartedAt: timestampFromDate(sealed.recordingStartedAt),
              recordingEndedAt: timestampFromDate(sealed.recordingEndedAt),
            },
            { partitionKey: caseRow.id, agencyId: caseRow.agencyId, actingUserId: user.userId },
          );
          return sealed;
        });
        return evidenceItemView(item);
      } catch (error) {
        // Another record was appended to the case meanwhile: the chain head moved, so append on the new one.
        if (attempt < SEAL_ATTEMPTS && isRecordingError(error, 'CONCURRENT_CHANGE')) continue;
        throw error;
      }
    }
  }

  /** open (or sealing whose holder seems dead) → sealing by this request; false when someone else holds it. */
  private claim(upload: EvidenceUploadEntity): Promise<boolean> {
    const now = this.options.clock();
    return this.uploads.claimForSealing(upload.id, now, new Date(now.getTime() - this.options.sealingLeaseMs));
  }

  /** Gives the upload back after a failure that a retry may overcome (storage down, a busy chain). */
  private release(upload: EvidenceUploadEntity): Promise<void> {
    return this.uploads.releaseClaim(upload.id);
  }

  private closeClaimed(upload: EvidenceUploadEntity, reason: EvidenceUploadCloseReason): Promise<boolean> {
    return this.uploads.closeClaimed(upload.id, reason, this.options.clock());
  }
}
