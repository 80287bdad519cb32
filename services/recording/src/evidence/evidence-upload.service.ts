import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import { Metrics } from '@enforcement/observability';
import { OBJECT_STORAGE } from '@enforcement/service-runtime';
import { DigestMismatchError, MAX_PART_NUMBER, PartSizeMismatchError, type ObjectStorage, type UploadedPart } from '@enforcement/storage';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { CaseAccessService } from '../cases/case-access.service';
import { ProcedureSettingsRepository } from '../procedure/procedure-settings.repository';
import { CaseRecordRepository } from '../records/case-record.repository';
import type { EvidenceUploadPartEntity } from './evidence-upload-part.entity';
import { EvidenceUploadEntity, type EvidenceUploadCloseReason } from './evidence-upload.entity';
import { EvidenceUploadRepository } from './evidence-upload.repository';
import type { CreateEvidenceUploadDto } from './evidence.dto';
import { EvidenceErrors, fromStorageError } from './evidence.errors';
import { EVIDENCE_OPTIONS, resolveEvidenceOptions, type EvidenceOptions } from './evidence.options';
import { lateFootageReason } from './late-footage';
import { expectedPartSize, missingParts, planParts, type PartPlan } from './part-plan';

/** Officers' clocks and cameras drift; a recording "ending" a few minutes from now is not refused. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
const PART_NUMBER = /^[1-9]\d{0,4}$/;

export interface CreatedUpload {
  uploadId: string;
  evidenceId: string;
  sizeBytes: number;
  partSize: number;
  partCount: number;
  expiresAt: string;
}

export interface ReceivedPartView {
  partNumber: number;
  sizeBytes: number;
  sha256: string;
  receivedAt: string;
}

export interface UploadStatusView {
  uploadId: string;
  evidenceId: string;
  caseId: string;
  /** `expired` for an open upload past its expiry, which no longer takes parts. */
  status: EvidenceUploadEntity['status'] | 'expired';
  closeReason: EvidenceUploadCloseReason | null;
  mediaType: string;
  sizeBytes: number;
  partSize: number;
  partCount: number;
  deviceId: string;
  officerId: string;
  recordingStartedAt: string;
  recordingEndedAt: string;
  stepRecordId: string | null;
  createdAt: string;
  expiresAt: string;
  received: ReceivedPartView[];
  missing: number[];
}

/** What the HTTP layer knows about a part's body before reading it. */
export interface PartBodyInfo {
  contentType: string | undefined;
  contentLength: string | undefined;
  /** Optional SHA-256 (hex) of the part, so a part damaged on the way is refused at once. */
  sha256: string | undefined;
}

export function partPlanOf(upload: EvidenceUploadEntity): PartPlan {
  return { sizeBytes: Number(upload.sizeBytes), partSize: upload.partSize, partCount: upload.partCount };
}

/** Loads an upload of a case; an upload of another case is as unknown as a missing one. */
export async function findUpload(uploads: EvidenceUploadRepository, caseId: string, uploadId: string): Promise<EvidenceUploadEntity> {
  const upload = await uploads.findOfCase(caseId, uploadId);
  if (!upload) throw EvidenceErrors.uploadNotFound();
  return upload;
}

/**
 * The upload side of audio/video evidence: sessions, parts streamed to object storage one bounded part at a
 * time, progress, cancellation and the sweep of expired sessions. Sealing lives in EvidenceSealerService.
 *
 * Evidence bytes never sit whole in memory, not even a whole part: each part streams from the request to
 * storage as it arrives, hashed on the way, and is stored only when its size (and digest) are right.
 */
@Injectable()
export class EvidenceUploadService {
  private readonly logger = new Logger(EvidenceUploadService.name);
  private readonly options: EvidenceOptions;

  constructor(
    private readonly uploads: EvidenceUploadRepository,
    private readonly records: CaseRecordRepository,
    private readonly cases: CaseAccessService,
    private readonly procedureSettings: ProcedureSettingsRepository,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Optional() @Inject(EVIDENCE_OPTIONS) options?: Partial<EvidenceOptions>,
    @Optional() private readonly metrics?: Metrics,
  ) {
    this.options = resolveEvidenceOptions(options);
  }

  async create(user: AuthenticatedUser, caseId: string, input: CreateEvidenceUploadDto): Promise<CreatedUpload> {
    const caseRow = await this.cases.forAction(user, caseId);
    if (caseRow.status === 'closed') throw EvidenceErrors.caseClosed();
    const now = this.options.clock();
    const recordingStartedAt = new Date(input.recordingStartedAt);
    const recordingEndedAt = new Date(input.recordingEndedAt);
    if (recordingStartedAt > recordingEndedAt || recordingEndedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
      throw EvidenceErrors.recordingWindowInvalid();
    }
    // Footage already past the agency's limit says why before any byte is sent; sealing checks again.
    const { policy } = await this.procedureSettings.settingsOf(caseRow.agencyId);
    lateFootageReason({
      mediaType: input.mediaType,
      recordingEndedAt,
      at: now,
      limitMs: policy.footageUploadLimitMs,
      reason: input.lateEntryReason,
    });
    const largest = Math.min(this.options.maxUploadBytes, this.storage.limits.maxPartSize * MAX_PART_NUMBER);
    if (input.sizeBytes > largest) throw EvidenceErrors.evidenceTooLarge(largest);
    const plan = planParts(input.sizeBytes, this.options.partSize, this.storage.limits);
    if (!plan) throw EvidenceErrors.evidenceTooLarge(largest);
    await this.checkQuotas(caseRow.id, user.userId, input.sizeBytes, now);
    if (input.stepRecordId !== undefined) {
      if (!(await this.records.exists(caseRow.id, input.stepRecordId))) throw EvidenceErrors.stepRecordNotFound();
    }

    const evidenceId = randomUUID();
    const objectKey = `cases/${caseRow.id}/evidence/${evidenceId}`;
    const mediaType = input.mediaType.toLowerCase();
    let storageUploadId: string;
    try {
      storageUploadId = await this.storage.initiateMultipart(objectKey, {
        contentType: mediaType,
        // Kept with the object, so the store alone still says what an original is if the database is lost.
        metadata: { 'case-id': caseRow.id, 'evidence-id': evidenceId, 'device-id': input.deviceId, 'officer-id': user.userId },
      });
    } catch (error) {
      throw fromStorageError(error);
    }
    const upload: EvidenceUploadEntity = {
      id: randomUUID(),
      caseId: caseRow.id,
      evidenceId,
      storageUploadId,
      objectKey,
      sizeBytes: String(plan.sizeBytes),
      partSize: plan.partSize,
      partCount: plan.partCount,
      mediaType,
      deviceId: input.deviceId,
      officerId: user.userId,
      recordingStartedAt,
      recordingEndedAt,
      stepRecordId: input.stepRecordId ?? null,
      // Kept even when in time: an upload that becomes late before it is sealed has its reason already.
      lateEntryReason: input.lateEntryReason?.trim() || null,
      status: 'open',
      closeReason: null,
      storedSha256: null,
      sealingStartedAt: null,
      createdBy: user.userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.options.uploadTtlMs),
      closedAt: null,
    };
    try {
      await this.uploads.insert(upload);
    } catch (error) {
      await this.storage.abortMultipart(objectKey, storageUploadId).catch(() => undefined);
      throw error;
    }
    return {
      uploadId: upload.id,
      evidenceId,
      sizeBytes: plan.sizeBytes,
      partSize: plan.partSize,
      partCount: plan.partCount,
      expiresAt: upload.expiresAt.toISOString(),
    };
  }

  /**
   * Stores one part; parts come in any order, and sending a number again replaces the earlier attempt until
   * the upload is completed. The part must have exactly the size its position calls for.
   */
  async uploadPart(
    user: AuthenticatedUser,
    caseId: string,
    uploadId: string,
    partNumberText: string,
    body: Readable,
    info: PartBodyInfo,
  ): Promise<ReceivedPartView> {
    await this.cases.forAction(user, caseId);
    const upload = await findUpload(this.uploads, caseId, uploadId);
    this.assertOpen(upload);
    const plan = partPlanOf(upload);
    if (!PART_NUMBER.test(partNumberText) || Number(partNumberText) > plan.partCount) {
      throw EvidenceErrors.partOutOfRange(plan.partCount);
    }
    const partNumber = Number(partNumberText);
    if (!isOctetStream(info.contentType)) throw EvidenceErrors.partContentType();
    const expectedSize = expectedPartSize(plan, partNumber);
    if (info.contentLength !== undefined && Number(info.contentLength) !== expectedSize) {
      throw EvidenceErrors.partSizeMismatch(partNumber, expectedSize, Number(info.contentLength));
    }
    if (info.sha256 !== undefined && !SHA256_HEX.test(info.sha256)) throw EvidenceErrors.partDigestInvalid();

    // The part goes on to storage while it arrives; storage stores it only if exactly `expectedSize` bytes
    // came and, when the client named one, their SHA-256 matches (the S3 server verifies the digest itself).
    let stored: UploadedPart;
    try {
      stored = await this.storage.uploadPartStream(upload.objectKey, upload.storageUploadId, partNumber, body, {
        size: expectedSize,
        expectedSha256: info.sha256?.toLowerCase(),
      });
    } catch (error) {
      throw await partRefusal(error, body, partNumber, expectedSize);
    }
    // The check already held the body to this size; a different count here would be an adapter fault.
    if (stored.size !== expectedSize) throw EvidenceErrors.partSizeMismatch(partNumber, expectedSize, stored.size);
    const part: EvidenceUploadPartEntity = {
      uploadId: upload.id,
      partNumber,
      etag: stored.etag,
      sizeBytes: stored.size,
      sha256: stored.sha256,
      receivedAt: this.options.clock(),
    };
    await this.uploads.savePart(part);
    this.metrics?.evidenceUploadedBytes().inc(part.sizeBytes);
    return partView(part);
  }

  async status(user: AuthenticatedUser, caseId: string, uploadId: string): Promise<UploadStatusView> {
    await this.cases.forAction(user, caseId);
    const upload = await findUpload(this.uploads, caseId, uploadId);
    const parts = await this.uploads.partsOf(upload.id);
    const expired = upload.status === 'open' && this.isExpired(upload);
    return {
      uploadId: upload.id,
      evidenceId: upload.evidenceId,
      caseId: upload.caseId,
      status: expired ? 'expired' : upload.status,
      closeReason: upload.closeReason,
      mediaType: upload.mediaType,
      sizeBytes: Number(upload.sizeBytes),
      partSize: upload.partSize,
      partCount: upload.partCount,
      deviceId: upload.deviceId,
      officerId: upload.officerId,
      recordingStartedAt: upload.recordingStartedAt.toISOString(),
      recordingEndedAt: upload.recordingEndedAt.toISOString(),
      stepRecordId: upload.stepRecordId,
      createdAt: upload.createdAt.toISOString(),
      expiresAt: upload.expiresAt.toISOString(),
      received: parts.map(partView),
      missing: missingParts(
        partPlanOf(upload),
        parts.map((part) => part.partNumber),
      ),
    };
  }

  /**
   * Cancels an unfinished upload and discards its parts. A sealed item is an original and can never be
   * removed this way (or any other: there is no such endpoint).
   */
  async abort(user: AuthenticatedUser, caseId: string, uploadId: string): Promise<void> {
    await this.cases.forAction(user, caseId);
    const upload = await findUpload(this.uploads, caseId, uploadId);
    if (upload.status === 'completed') throw EvidenceErrors.sealedNotAbortable();
    if (upload.status === 'aborted') return;
    if (upload.status === 'sealing') throw EvidenceErrors.uploadBusy();
    // A completion stored and verified the object, then failed to seal it: an original exists, so the
    // upload can only be completed.
    if (upload.storedSha256 !== null) throw EvidenceErrors.storedNotAbortable();
    if (!(await this.close(upload, 'cancelled'))) {
      // A completion took it between the read and the update.
      throw EvidenceErrors.uploadBusy();
    }
    await this.discardParts(upload);
  }

  /** Aborts open uploads past their expiry; returns how many. Safe to run on every replica at once. */
  async abortExpired(limit = 100): Promise<number> {
    const expired = await this.uploads.expiredOpen(this.options.clock(), limit);
    let aborted = 0;
    for (const upload of expired) {
      if (!(await this.close(upload, 'expired'))) continue;
      aborted++;
      await this.discardParts(upload);
    }
    return aborted;
  }

  /**
   * Open uploads are bounded per case and per officer, in number and in declared bytes. Checked before storage is
   * asked for anything; two creations at the same instant may each pass (a bound on load, not an exact count).
   */
  private async checkQuotas(caseId: string, officerId: string, sizeBytes: number, now: Date): Promise<void> {
    const [ofCase, ofOfficer] = await Promise.all([this.uploads.openLoad({ caseId }, now), this.uploads.openLoad({ officerId }, now)]);
    if (ofCase.uploads >= this.options.maxOpenUploadsPerCase)
      throw EvidenceErrors.quotaExceeded('case', this.options.maxOpenUploadsPerCase, 'uploads');
    if (ofOfficer.uploads >= this.options.maxOpenUploadsPerOfficer) {
      throw EvidenceErrors.quotaExceeded('officer', this.options.maxOpenUploadsPerOfficer, 'uploads');
    }
    if (ofOfficer.bytes + sizeBytes > this.options.maxOpenBytesPerOfficer) {
      throw EvidenceErrors.quotaExceeded('officer', this.options.maxOpenBytesPerOfficer, 'bytes');
    }
  }

  get sweepIntervalMs(): number {
    return this.options.sweepIntervalMs;
  }

  private assertOpen(upload: EvidenceUploadEntity): void {
    if (upload.status === 'sealing') throw EvidenceErrors.uploadBusy();
    if (upload.status !== 'open') throw EvidenceErrors.uploadClosed(upload.closeReason ?? upload.status);
    if (upload.storedSha256 !== null) throw EvidenceErrors.uploadClosed('stored');
    if (this.isExpired(upload)) throw EvidenceErrors.uploadClosed('expired');
  }

  private isExpired(upload: EvidenceUploadEntity): boolean {
    return upload.expiresAt.getTime() <= this.options.clock().getTime();
  }

  /** open → aborted, only if still open: the one writer that wins decides. */
  private close(upload: EvidenceUploadEntity, reason: EvidenceUploadCloseReason): Promise<boolean> {
    return this.uploads.closeOpen(upload.id, reason, this.options.clock());
  }

  private async discardParts(upload: EvidenceUploadEntity): Promise<void> {
    try {
      await this.storage.abortMultipart(upload.objectKey, upload.storageUploadId);
    } catch (error) {
      // The upload is closed either way; leftover parts cost space, never visibility (nothing was completed).
      this.logger.warn(`could not discard the parts of upload ${upload.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function partView(part: EvidenceUploadPartEntity): ReceivedPartView {
  return { partNumber: part.partNumber, sizeBytes: part.sizeBytes, sha256: part.sha256, receivedAt: part.receivedAt.toISOString() };
}

function isOctetStream(contentType: string | undefined): boolean {
  return contentType?.split(';')[0].trim().toLowerCase() === 'application/octet-stream';
}

/**
 * A part storage refused, as the refusal the client sees. The rest of the body is read off first (a part is
 * at most a part size), so the answer comes at the end of a complete exchange and the client's kept-alive
 * connection stays usable; a body that ran over its size is only drained in the background.
 */
async function partRefusal(error: unknown, body: Readable, partNumber: number, expectedSize: number): Promise<unknown> {
  if (error instanceof PartSizeMismatchError) {
    const overran = error.receivedSize > expectedSize;
    if (overran) body.resume();
    return EvidenceErrors.partSizeMismatch(partNumber, expectedSize, overran ? undefined : error.receivedSize);
  }
  if (!body.readableEnded && !body.destroyed) {
    body.resume();
    await finished(body).catch(() => undefined);
  }
  if (error instanceof DigestMismatchError) return EvidenceErrors.partDigestMismatch(partNumber, error.expectedSha256, error.actualSha256);
  return fromStorageError(error);
}
