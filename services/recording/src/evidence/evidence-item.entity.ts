import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A sealed audio/video (or other) evidence object: its bytes are in object storage under `objectKey`,
 * immutable, and `sha256` is fixed in the case's hash chain by the record that sealed it.
 */
@Entity({ name: 'evidence_items' })
@Index('ix_evidence_items_case', ['caseId', 'sealedAt'])
export class EvidenceItemEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'case_id', type: 'varchar', length: 36 })
  caseId: string;

  @Column({ name: 'object_key', type: 'varchar', length: 300 })
  objectKey: string;

  @Column({ name: 'sha256', type: 'varchar', length: 64 })
  sha256: string;

  @Column({ name: 'size_bytes', type: 'bigint' })
  sizeBytes: string;

  @Column({ name: 'media_type', type: 'varchar', length: 100 })
  mediaType: string;

  /** Body-worn camera or other recording device. */
  @Column({ name: 'device_id', type: 'varchar', length: 100 })
  deviceId: string;

  @Column({ name: 'officer_id', type: 'varchar', length: 36 })
  officerId: string;

  @Column({ name: 'recording_started_at', type: 'datetime', precision: 3 })
  recordingStartedAt: Date;

  @Column({ name: 'recording_ended_at', type: 'datetime', precision: 3 })
  recordingEndedAt: Date;

  /** The record this item documents, when known at upload. */
  @Column({ name: 'step_record_id', type: 'varchar', length: 36, nullable: true })
  stepRecordId: string | null;

  /** Why audio/video came after the agency's footage limit (补录); null when it came in time. */
  @Column({ name: 'late_entry_reason', type: 'text', nullable: true })
  lateEntryReason: string | null;

  @Column({ name: 'sealed_at', type: 'datetime', precision: 3 })
  sealedAt: Date;

  /** The chain record that sealed it. */
  @Column({ name: 'seal_record_id', type: 'varchar', length: 36 })
  sealRecordId: string;
}
