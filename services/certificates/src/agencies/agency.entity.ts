import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An enforcement agency (执法主体) and the powers it holds. */
@Entity({ name: 'agencies' })
export class AgencyEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'name', type: 'varchar', length: 200 })
  name: string;

  /** Unified social credit code (统一社会信用代码), 18 characters. */
  @Column({ name: 'credit_code', type: 'varchar', length: 18, unique: true })
  creditCode: string;

  /** GB/T 2260 administrative division code. */
  @Column({ name: 'region_code', type: 'varchar', length: 12 })
  regionCode: string;

  @Column({ name: 'domains', type: 'simple-json' })
  domains: string[];

  @Column({ name: 'legal_basis', type: 'text' })
  legalBasis: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}
