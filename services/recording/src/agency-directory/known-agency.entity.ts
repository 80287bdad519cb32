import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Recording's own copy of the agencies it records cases for, fed by certificate events. */
@Entity({ name: 'known_agencies' })
export class KnownAgencyEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'name', type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12 })
  regionCode: string;

  @Column({ name: 'domains', type: 'simple-json' })
  domains: string[];

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
