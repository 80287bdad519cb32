import type { CalendarCoverage } from '@enforcement/calendar';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { DeadlineKind, DeadlineStatus } from './deadline-rules';

/**
 * A statutory period a recorded step started in a case (Administrative Penalty Law Art. 56, 60, 61, 64, 66),
 * until a later step satisfies it, or, for the party's own windows, it lapses.
 */
@Entity({ name: 'case_deadlines' })
@Index('ix_case_deadlines_case', ['caseId', 'startsAt'])
@Index('ix_case_deadlines_status_due', ['status', 'dueAt'])
@Index('ix_case_deadlines_region', ['regionCode', 'status', 'dueAt'])
@Index('ix_case_deadlines_agency', ['agencyId', 'status', 'dueAt'])
@Index('uq_case_deadlines_started_kind', ['startedByRecordId', 'kind'], { unique: true })
export class CaseDeadlineEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'case_id', type: 'varchar', length: 36 })
  caseId: string;

  /** The case's agency and region, copied so supervisors' lists need no join. */
  @Column({ name: 'agency_id', type: 'varchar', length: 36 })
  agencyId: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12 })
  regionCode: string;

  @Column({ name: 'kind', type: 'varchar', length: 32 })
  kind: DeadlineKind;

  @Column({ name: 'started_by_record_id', type: 'varchar', length: 36 })
  startedByRecordId: string;

  /** When the starting step happened. */
  @Column({ name: 'starts_at', type: 'datetime', precision: 3 })
  startsAt: Date;

  /** Exclusive end: 00:00 in Shanghai after the period's last day. */
  @Column({ name: 'due_at', type: 'datetime', precision: 3 })
  dueAt: Date;

  /** When the satisfying step happened (not when it was recorded). */
  @Column({ name: 'satisfied_at', type: 'datetime', precision: 3, nullable: true })
  satisfiedAt: Date | null;

  @Column({ name: 'satisfied_by_record_id', type: 'varchar', length: 36, nullable: true })
  satisfiedByRecordId: string | null;

  /** 'weekdays-only' when a day of the period fell in a year without a loaded holiday arrangement. */
  @Column({ name: 'calendar_coverage', type: 'varchar', length: 16 })
  calendarCoverage: CalendarCoverage;

  @Column({ name: 'status', type: 'varchar', length: 16 })
  status: DeadlineStatus;

  /** Days added to the period by an approved extension (the decision period, Art. 60). */
  @Column({ name: 'extension_days', type: 'int', default: 0 })
  extensionDays: number;

  /** Days the case stood suspended: the period does not run while it is (Art. 60). */
  @Column({ name: 'suspended_days', type: 'int', default: 0 })
  suspendedDays: number;

  /** Since when the period stands suspended (status 'suspended'); null while it runs. */
  @Column({ name: 'suspended_at', type: 'datetime', precision: 3, nullable: true })
  suspendedAt: Date | null;

  /** The fine a payment period is for, in fen (bigint: a string on MySQL, a number on SQLite; read with String()). */
  @Column({ name: 'amount_fen', type: 'bigint', nullable: true })
  amountFen: string | null;
}
