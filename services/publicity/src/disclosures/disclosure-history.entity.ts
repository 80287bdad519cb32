import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The internal history of a disclosure: received, approved and published, withdrawn, expired. Never public. */
@Entity({ name: 'disclosure_history' })
@Index('ix_disclosure_history_disclosure', ['disclosureId', 'at'])
export class DisclosureHistoryEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'disclosure_id', type: 'varchar', length: 36 })
  disclosureId: string;

  @Column({ name: 'action', type: 'varchar', length: 32 })
  action: string;

  @Column({ name: 'by', type: 'varchar', length: 64 })
  by: string;

  @Column({ name: 'at', type: 'datetime', precision: 3 })
  at: Date;

  @Column({ name: 'detail', type: 'simple-json' })
  detail: Record<string, unknown>;
}
