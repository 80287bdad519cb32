import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * open → sealing (one completion holds it) → completed (the evidence item exists), or → aborted (cancelled,
 * expired, or refused at completion). A completion that fails for a passing reason puts it back to open.
 */
export type EvidenceUploadStatus = 'open' | 'sealing' | 'completed' | 'aborted';

/** Why an upload ended without an evidence item. */
export type EvidenceUploadCloseReason = 'cancelled' | 'expired' | 'digest-mismatch' | 'size-mismatch' | 'case-closed';

/**
 * A resumable upload of one evidence object: its parts go to an object-storage multipart upload under the
 * key the evidence item will have; nothing is readable until the completion verified the whole object.
 */
@Entity({ name: 'evidence_uploads' })
@Index('uq_evidence_uploads_evidence', ['evidenceId'], { unique: true })
@Index('ix_evidence_uploads_case', ['caseId', 'createdAt'])
@Index('ix_evidence_uploads_status_expires', ['status', 'expiresAt'])
export class EvidenceUploadEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'case_id', type: 'varchar', length: 36 })
  caseId: string;

  /** The id the evidence item will have once sealed; part of the object key. */
  @Column({ name: 'evidence_id', type: 'varchar', length: 36 })
  evidenceId: string;

  /** The storage's multipart upload id (S3 upload ids can be long). */
  @Column({ name: 'storage_upload_id', type: 'varchar', length: 1024 })
  storageUploadId: string;

  /** `cases/<caseId>/evidence/<evidenceId>`. */
  @Column({ name: 'object_key', type: 'varchar', length: 300 })
  objectKey: string;

  @Column({ name: 'size_bytes', type: 'bigint' })
  sizeBytes: string;

  /** Every part but the last has exactly this size. */
  @Column({ name: 'part_size', type: 'int' })
  partSize: number;

  @Column({ name: 'part_count', type: 'int' })
  partCount: number;

  @Column({ name: 'media_type', type: 'varchar', length: 100 })
  mediaType: string;

  @Column({ name: 'device_id', type: 'varchar', length: 100 })
  deviceId: string;

  /** The officer who recorded and uploads it. */
  @Column({ name: 'officer_id', type: 'varchar', length: 36 })
  officerId: string;

  @Column({ name: 'recording_started_at', type: 'datetime', precision: 3 })
  recordingStartedAt: Date;

  @Column({ name: 'recording_ended_at', type: 'datetime', precision: 3 })
  recordingEndedAt: Date;

  @Column({ name: 'step_record_id', type: 'varchar', length: 36, nullable: true })
  stepRecordId: string | null;

  /** Why audio/video came after the agency's footage limit (补录); null when it came in time. */
  @Column({ name: 'late_entry_reason', type: 'text', nullable: true })
  lateEntryReason: string | null;

  @Column({ name: 'status', type: 'varchar', length: 16 })
  status: EvidenceUploadStatus;

  @Column({ name: 'close_reason', type: 'varchar', length: 32, nullable: true })
  closeReason: EvidenceUploadCloseReason | null;

  /**
   * The digest of the assembled object once storage verified it. Set means the object exists and only the
   * sealing transaction is left, so a retried completion must not assemble it again.
   */
  @Column({ name: 'stored_sha256', type: 'varchar', length: 64, nullable: true })
  storedSha256: string | null;

  /** When the running completion took the upload; an old one is presumed dead and may be taken over. */
  @Column({ name: 'sealing_started_at', type: 'datetime', precision: 3, nullable: true })
  sealingStartedAt: Date | null;

  @Column({ name: 'created_by', type: 'varchar', length: 36 })
  createdBy: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;

  @Column({ name: 'closed_at', type: 'datetime', precision: 3, nullable: true })
  closedAt: Date | null;
}
