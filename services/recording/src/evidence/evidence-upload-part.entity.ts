import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A part the storage accepted; a retried part replaces the row of the same number. */
@Entity({ name: 'evidence_upload_parts' })
export class EvidenceUploadPartEntity {
  @PrimaryColumn({ name: 'upload_id', type: 'varchar', length: 36 })
  uploadId: string;

  @PrimaryColumn({ name: 'part_number', type: 'int' })
  partNumber: number;

  /** What the storage named the part; completion lists it. */
  @Column({ name: 'etag', type: 'varchar', length: 200 })
  etag: string;

  @Column({ name: 'size_bytes', type: 'int' })
  sizeBytes: number;

  /** SHA-256 of the part's bytes as the storage received them. */
  @Column({ name: 'sha256', type: 'varchar', length: 64 })
  sha256: string;

  @Column({ name: 'received_at', type: 'datetime', precision: 3 })
  receivedAt: Date;
}
