import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The cases as recording announced them (CaseOpened): whose they are, for sending one to review. */
@Entity({ name: 'known_cases' })
@Index('ix_known_cases_agency', ['agencyId'])
export class KnownCaseEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'agency_id', type: 'varchar', length: 36 })
  agencyId: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12 })
  regionCode: string;

  @Column({ name: 'case_number', type: 'varchar', length: 100 })
  caseNumber: string;

  @Column({ name: 'opened_at', type: 'datetime', precision: 3 })
  openedAt: Date;
}
