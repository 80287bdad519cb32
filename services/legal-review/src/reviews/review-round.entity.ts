import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ProposalSnapshot, RoundEvaluation } from '../review-core/proposal-snapshot';
import type { ItemFinding, RoundOutcome } from '../review-core/review';
import type { DeadlineExtension } from '../review-core/review-deadline';

/** One round of a review: the snapshot submitted, what the rules computed, and the reviewer's conclusion. */
@Entity({ name: 'review_rounds' })
@Index('uq_review_rounds_review_number', ['reviewId', 'number'], { unique: true })
@Index('ix_review_rounds_reviewer_concluded', ['reviewerOfficerId', 'concludedAt'])
export class ReviewRoundEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'review_id', type: 'varchar', length: 36 })
  reviewId: string;

  @Column({ name: 'number', type: 'int' })
  number: number;

  @Column({ name: 'proposal_digest', type: 'varchar', length: 64 })
  proposalDigest: string;

  /** What the case-handling unit submitted; it answers for it (118号). */
  @Column({ name: 'snapshot', type: 'simple-json' })
  snapshot: ProposalSnapshot;

  @Column({ name: 'evaluation', type: 'simple-json' })
  evaluation: RoundEvaluation;

  @Column({ name: 'catalog_version', type: 'int' })
  catalogVersion: number;

  @Column({ name: 'submitted_at', type: 'datetime', precision: 3 })
  submittedAt: Date;

  @Column({ name: 'due_at', type: 'datetime', precision: 3 })
  dueAt: Date;

  @Column({ name: 'extensions', type: 'simple-json' })
  extensions: DeadlineExtension[];

  @Column({ name: 'reviewer_officer_id', type: 'varchar', length: 64, nullable: true })
  reviewerOfficerId: string | null;

  @Column({ name: 'assigned_at', type: 'datetime', precision: 3, nullable: true })
  assignedAt: Date | null;

  @Column({ name: 'outcome', type: 'varchar', length: 16, nullable: true })
  outcome: RoundOutcome | null;

  @Column({ name: 'items', type: 'simple-json' })
  items: ItemFinding[];

  @Column({ name: 'opinion', type: 'text' })
  opinion: string;

  @Column({ name: 'concluded_at', type: 'datetime', precision: 3, nullable: true })
  concludedAt: Date | null;

  @Column({ name: 'overdue_at', type: 'datetime', precision: 3, nullable: true })
  overdueAt: Date | null;

  /** The written opinion (法制审核意见书) PDF in object storage, and its SHA-256. */
  @Column({ name: 'opinion_object_key', type: 'varchar', length: 200, nullable: true })
  opinionObjectKey: string | null;

  @Column({ name: 'opinion_sha256', type: 'varchar', length: 64, nullable: true })
  opinionSha256: string | null;
}
