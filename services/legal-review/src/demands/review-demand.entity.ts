import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A case sent to legal review by an agency head or a supervisor, kept for supervision (118号). */
@Entity({ name: 'review_demands' })
@Index('ix_review_demands_case', ['caseId'])
export class ReviewDemandEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'case_id', type: 'varchar', length: 36 })
  caseId: string;

  @Column({ name: 'agency_id', type: 'varchar', length: 36 })
  agencyId: string;

  @Column({ name: 'demanded_by', type: 'varchar', length: 64 })
  demandedBy: string;

  /** `agency-admin` (the agency head), `supervisor`, or `catalog` (a catalog rule named the notified penalty). */
  @Column({ name: 'role', type: 'varchar', length: 16 })
  role: string;

  @Column({ name: 'reason', type: 'text' })
  reason: string;

  @Column({ name: 'demanded_at', type: 'datetime', precision: 3 })
  demandedAt: Date;
}
