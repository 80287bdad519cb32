import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One reading of a party's ID number and contacts (the decrypted fields), by whom and when. */
@Entity({ name: 'party_data_reads' })
@Index('ix_party_data_reads_region', ['regionCode', 'readAt'])
@Index('ix_party_data_reads_case', ['caseId', 'readAt'])
export class PartyDataReadEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'case_id', type: 'varchar', length: 36 })
  caseId: string;

  @Column({ name: 'agency_id', type: 'varchar', length: 36 })
  agencyId: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12 })
  regionCode: string;

  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  @Column({ name: 'read_at', type: 'datetime', precision: 3 })
  readAt: Date;
}
