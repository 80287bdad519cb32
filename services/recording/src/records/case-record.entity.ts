import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A certificate an acting officer showed (亮证执法, Art. 55), as returned by the certificate check. */
export interface ShownCertificate {
  officerId: string;
  certificateId: string;
  number: string;
}

/**
 * One entry of a case's full-process record (Art. 47). Append-only: a correction is a new record that
 * points at the one it corrects. `hash` chains it to the previous record of the case.
 */
@Entity({ name: 'case_records' })
@Index('uq_case_records_case_sequence', ['caseId', 'sequence'], { unique: true })
export class CaseRecordEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'case_id', type: 'varchar', length: 36 })
  caseId: string;

  /** 1, 2, 3, … within the case: the chain order. */
  @Column({ name: 'sequence', type: 'int' })
  sequence: number;

  @Column({ name: 'step_type', type: 'varchar', length: 32 })
  stepType: string;

  /** When the step happened (may precede recording, e.g. a field inspection logged later). */
  @Column({ name: 'occurred_at', type: 'datetime', precision: 3 })
  occurredAt: Date;

  @Column({ name: 'recorded_at', type: 'datetime', precision: 3 })
  recordedAt: Date;

  @Column({ name: 'recorded_by', type: 'varchar', length: 36 })
  recordedBy: string;

  @Column({ name: 'place', type: 'varchar', length: 500 })
  place: string;

  @Column({ name: 'acting_officer_ids', type: 'simple-json' })
  actingOfficerIds: string[];

  @Column({ name: 'certificates', type: 'simple-json' })
  certificates: ShownCertificate[];

  /** Structured fields of the step type (e.g. the proposed penalty of a notice). */
  @Column({ name: 'fields', type: 'simple-json' })
  fields: Record<string, unknown>;

  @Column({ name: 'text', type: 'text' })
  text: string;

  /** Evidence items this record covers or seals, by id, with their SHA-256 digests. */
  @Column({ name: 'evidence', type: 'simple-json' })
  evidence: Array<{ evidenceId: string; sha256: string }>;

  @Column({ name: 'corrects_record_id', type: 'varchar', length: 36, nullable: true })
  correctsRecordId: string | null;

  @Column({ name: 'previous_hash', type: 'varchar', length: 64 })
  previousHash: string;

  @Column({ name: 'hash', type: 'varchar', length: 64 })
  hash: string;
}
