import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The agencies as the certificates service announced them (AgencyRegistered): the names the opinions print. */
@Entity({ name: 'known_agencies' })
export class KnownAgencyEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'name', type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12 })
  regionCode: string;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
