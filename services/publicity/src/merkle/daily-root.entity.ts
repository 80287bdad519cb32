import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The Merkle root over one Shanghai day's published and withdrawn disclosures, fixed once computed. */
@Entity({ name: 'daily_roots' })
export class DailyRootEntity {
  @PrimaryColumn({ name: 'day', type: 'varchar', length: 10 })
  day: string;

  @Column({ name: 'root', type: 'varchar', length: 64 })
  root: string;

  @Column({ name: 'size', type: 'int' })
  size: number;

  @Column({ name: 'computed_at', type: 'datetime', precision: 3 })
  computedAt: Date;
}

/** One leaf of a day's tree: the canonical JSON of a publication or a withdrawal, in tree order. */
@Entity({ name: 'daily_root_leaves' })
@Index('ix_daily_root_leaves_disclosure', ['disclosureId'])
export class DailyRootLeafEntity {
  @PrimaryColumn({ name: 'day', type: 'varchar', length: 10 })
  day: string;

  @PrimaryColumn({ name: 'position', type: 'int' })
  position: number;

  @Column({ name: 'disclosure_id', type: 'varchar', length: 36 })
  disclosureId: string;

  @Column({ name: 'leaf', type: 'text' })
  leaf: string;

  @Column({ name: 'leaf_hash', type: 'varchar', length: 64 })
  leafHash: string;
}
