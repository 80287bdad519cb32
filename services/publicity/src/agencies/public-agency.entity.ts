import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The agencies as the certificates service announced them (AgencyRegistered): public data (事前公开). */
@Entity({ name: 'public_agencies' })
export class PublicAgencyEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'name', type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'credit_code', type: 'varchar', length: 18 })
  creditCode: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12 })
  regionCode: string;

  @Column({ name: 'domains', type: 'simple-json' })
  domains: string[];

  @Column({ name: 'legal_basis', type: 'varchar', length: 2000 })
  legalBasis: string;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
