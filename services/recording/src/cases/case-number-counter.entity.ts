import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The last case number an agency gave in a year (numbers restart each year). Bumped with an UPDATE inside the
 * opening transaction, so the row lock makes concurrent openings of one agency take numbers one after the other
 * instead of reading the same count.
 */
@Entity({ name: 'case_number_counters' })
export class CaseNumberCounterEntity {
  @PrimaryColumn({ name: 'agency_id', type: 'varchar', length: 36 })
  agencyId: string;

  /** The Shanghai calendar year. */
  @PrimaryColumn({ name: 'year', type: 'int' })
  year: number;

  @Column({ name: 'last_value', type: 'int' })
  lastValue: number;
}
