import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ReviewStatus } from '../review-core/review';

/** A case's legal review (法制审核): one row per case, its rounds in review_rounds. */
@Entity({ name: 'reviews' })
@Index('uq_reviews_case_id', ['caseId'], { unique: true })
@Index('ix_reviews_agency_opened', ['agencyId', 'openedAt', 'id'])
@Index('ix_reviews_status_due', ['status', 'dueAt'])
export class ReviewEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'case_id', type: 'varchar', length: 36 })
  caseId: string;

  @Column({ name: 'agency_id', type: 'varchar', length: 36 })
  agencyId: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12 })
  regionCode: string;

  @Column({ name: 'case_number', type: 'varchar', length: 100 })
  caseNumber: string;

  @Column({ name: 'status', type: 'varchar', length: 16 })
  status: ReviewStatus;

  /** The number of the current round. */
  @Column({ name: 'round', type: 'int' })
  round: number;

  @Column({ name: 'reviewer_officer_id', type: 'varchar', length: 64, nullable: true })
  reviewerOfficerId: string | null;

  /** The current round's due instant (00:00 Shanghai after its last working day). */
  @Column({ name: 'due_at', type: 'datetime', precision: 3 })
  dueAt: Date;

  @Column({ name: 'overdue_at', type: 'datetime', precision: 3, nullable: true })
  overdueAt: Date | null;

  @Column({ name: 'opened_at', type: 'datetime', precision: 3 })
  openedAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;

  /** Raised by every change; a write that finds another version lost a race (409 CONCURRENT_CHANGE). */
  @Column({ name: 'version', type: 'int' })
  version: number;
}
