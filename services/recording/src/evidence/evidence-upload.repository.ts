import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, LessThan } from 'typeorm';
import type { TransactionScope } from '../case-core/ports';
import { managerOf } from '../cases/case.repository';
import { EvidenceUploadPartEntity } from './evidence-upload-part.entity';
import { EvidenceUploadEntity, type EvidenceUploadCloseReason } from './evidence-upload.entity';

/**
 * Upload sessions and their parts (evidence_uploads, evidence_upload_parts). Every change of an upload's
 * status is a conditional update from the status it was read in, so of two writers racing (a completion and
 * the sweep, two completions) exactly one wins, and each says whether it did.
 */
@Injectable()
export class EvidenceUploadRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findOfCase(caseId: string, uploadId: string): Promise<EvidenceUploadEntity | undefined> {
    return (await this.dataSource.manager.findOneBy(EvidenceUploadEntity, { id: uploadId, caseId })) ?? undefined;
  }

  async insert(upload: EvidenceUploadEntity): Promise<void> {
    await this.dataSource.manager.insert(EvidenceUploadEntity, upload);
  }

  /** A part sent again replaces the one stored before (its bytes in storage were replaced too). */
  async savePart(part: EvidenceUploadPartEntity): Promise<void> {
    await this.dataSource.getRepository(EvidenceUploadPartEntity).upsert(part, ['uploadId', 'partNumber']);
  }

  async partsOf(uploadId: string): Promise<EvidenceUploadPartEntity[]> {
    return this.dataSource.manager.find(EvidenceUploadPartEntity, { where: { uploadId }, order: { partNumber: 'ASC' } });
  }

  /** The parts a sealed item was assembled from, in order; none for an item that came another way. */
  async partsOfSealed(evidenceId: string): Promise<EvidenceUploadPartEntity[]> {
    const upload = await this.dataSource.manager.findOneBy(EvidenceUploadEntity, { evidenceId, status: 'completed' });
    return upload ? this.partsOf(upload.id) : [];
  }

  /** How many uploads are open (or being sealed) for the case or by the officer, and the bytes they declare. */
  async openLoad(owner: { caseId: string } | { officerId: string }, now: Date): Promise<{ uploads: number; bytes: number }> {
    const builder = this.dataSource
      .getRepository(EvidenceUploadEntity)
      .createQueryBuilder('u')
      .select('COUNT(*)', 'uploads')
      .addSelect('COALESCE(SUM(u.size_bytes), 0)', 'bytes')
      // An open upload past its expiry waits for the sweep; it counts no more.
      .where("(u.status = 'sealing' OR (u.status = 'open' AND u.expires_at > :now))", { now });
    if ('caseId' in owner) builder.andWhere('u.case_id = :caseId', { caseId: owner.caseId });
    else builder.andWhere('u.officer_id = :officerId', { officerId: owner.officerId });
    const row = await builder.getRawOne<{ uploads: number | string; bytes: number | string }>();
    return { uploads: Number(row?.uploads ?? 0), bytes: Number(row?.bytes ?? 0) };
  }

  /** Open uploads past their expiry whose object is not stored yet (a stored one waits for its completion). */
  async expiredOpen(now: Date, limit: number): Promise<EvidenceUploadEntity[]> {
    return this.dataSource.manager.find(EvidenceUploadEntity, {
      where: { status: 'open', expiresAt: LessThan(now), storedSha256: IsNull() },
      order: { expiresAt: 'ASC' },
      take: limit,
    });
  }

  /**
   * open → aborted, only if still open; for an expiry, only if still expired and unstored (it may have been
   * stored or extended since it was read), so a completion in progress never loses its object to the sweep.
   */
  async closeOpen(uploadId: string, reason: EvidenceUploadCloseReason, now: Date): Promise<boolean> {
    const stillExpired = reason === 'expired' ? { storedSha256: IsNull(), expiresAt: LessThan(now) } : {};
    const result = await this.dataSource.manager.update(
      EvidenceUploadEntity,
      { id: uploadId, status: 'open', ...stillExpired },
      { status: 'aborted', closeReason: reason, closedAt: now },
    );
    return result.affected === 1;
  }

  /** open (or sealing whose holder started before `staleBefore`, presumed dead) → sealing by the caller. */
  async claimForSealing(uploadId: string, now: Date, staleBefore: Date): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(EvidenceUploadEntity)
      .set({ status: 'sealing', sealingStartedAt: now })
      .where('id = :id', { id: uploadId })
      .andWhere("(status = 'open' OR (status = 'sealing' AND sealing_started_at < :stale))", { stale: staleBefore })
      .execute();
    return result.affected === 1;
  }

  /** Storage assembled and verified the object: a later completion seals it without asking storage again. */
  async markStored(uploadId: string, sha256: string): Promise<void> {
    await this.dataSource.manager.update(EvidenceUploadEntity, { id: uploadId, status: 'sealing' }, { storedSha256: sha256 });
  }

  /** sealing → open, after a failure a retry may overcome; best effort (the claim lapses anyway). */
  async releaseClaim(uploadId: string): Promise<void> {
    await this.dataSource.manager
      .update(EvidenceUploadEntity, { id: uploadId, status: 'sealing' }, { status: 'open', sealingStartedAt: null })
      .catch(() => undefined);
  }

  /** sealing → aborted (the object failed its checks); false if the claim was lost meanwhile. */
  async closeClaimed(uploadId: string, reason: EvidenceUploadCloseReason, now: Date): Promise<boolean> {
    const result = await this.dataSource.manager.update(
      EvidenceUploadEntity,
      { id: uploadId, status: 'sealing' },
      { status: 'aborted', closeReason: reason, closedAt: now, sealingStartedAt: null },
    );
    return result.affected === 1;
  }

  /** sealing → completed, in the sealing transaction; false if another completion took the upload over. */
  async finishSealing(tx: TransactionScope, uploadId: string, sealedAt: Date): Promise<boolean> {
    const finished = await managerOf(this.dataSource, tx).update(
      EvidenceUploadEntity,
      { id: uploadId, status: 'sealing' },
      { status: 'completed', closedAt: sealedAt, sealingStartedAt: null },
    );
    return finished.affected === 1;
  }
}
