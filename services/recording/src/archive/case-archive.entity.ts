import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A case archive (归档) stored in object storage: immutable, like evidence. A case may have several (each
 * call to CaseArchiverService makes a new one); the latest is the one served.
 */
@Entity({ name: 'case_archives' })
@Index('ix_case_archives_case_created', ['caseId', 'createdAt'])
export class CaseArchiveEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'case_id', type: 'varchar', length: 36 })
  caseId: string;

  @Column({ name: 'object_key', type: 'varchar', length: 300 })
  objectKey: string;

  /** SHA-256 of the ZIP as stored: what an auditor compares a copy against. */
  @Column({ name: 'sha256', type: 'varchar', length: 64 })
  sha256: string;

  /** bigint: a string on MySQL, a number on SQLite; read it with Number(). */
  @Column({ name: 'size_bytes', type: 'bigint' })
  sizeBytes: string;

  /** The chain the archive holds: its record count and head when it was made. */
  @Column({ name: 'record_count', type: 'int' })
  recordCount: number;

  @Column({ name: 'chain_head', type: 'varchar', length: 64 })
  chainHead: string;

  @Column({ name: 'evidence_included', type: 'boolean' })
  evidenceIncluded: boolean;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}
