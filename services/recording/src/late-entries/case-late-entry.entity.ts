import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A step entered long after it happened (补录), with the reason given: listed for supervisors (执法监督). */
@Entity({ name: 'case_late_entries' })
@Index('ix_case_late_entries_agency_recorded', ['agencyId', 'recordedAt'])
@Index('ix_case_late_entries_region_recorded', ['regionCode', 'recordedAt'])
@Index('ix_case_late_entries_recorded', ['recordedAt', 'recordId'])
export class CaseLateEntryEntity {
  @PrimaryColumn({ name: 'record_id', type: 'varchar', length: 36 })
  recordId: string;

  @Column({ name: 'case_id', type: 'varchar', length: 36 })
  caseId: string;

  @Column({ name: 'agency_id', type: 'varchar', length: 36 })
  agencyId: string;

  @Column({ name: 'region_code', type: 'varchar', length: 6 })
  regionCode: string;

  @Column({ name: 'step_type', type: 'varchar', length: 32 })
  stepType: string;

  @Column({ name: 'recorded_by', type: 'varchar', length: 36 })
  recordedBy: string;

  @Column({ name: 'occurred_at', type: 'datetime', precision: 3 })
  occurredAt: Date;

  @Column({ name: 'recorded_at', type: 'datetime', precision: 3 })
  recordedAt: Date;

  @Column({ name: 'reason', type: 'text' })
  reason: string;
}
