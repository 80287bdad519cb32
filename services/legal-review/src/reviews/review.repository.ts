import { Injectable } from '@nestjs/common';
import { applyKeyset, keysetPage, type KeysetPage, type KeysetPosition } from '@enforcement/service-runtime';
import { randomUUID } from 'node:crypto';
import { DataSource, In, type EntityManager } from 'typeorm';
import { KnownAgencyEntity } from '../agencies/known-agency.entity';
import { LegalReviewError } from '../review-core/legal-review.error';
import type { ProposalSnapshot, RoundEvaluation } from '../review-core/proposal-snapshot';
import { Review, type ReviewRound, type ReviewStatus } from '../review-core/review';
import { ReviewRoundEntity } from './review-round.entity';
import { ReviewEntity } from './review.entity';

/** A review as loaded: the aggregate, its row, and its rounds' rows (snapshots and evaluations included). */
export interface LoadedReview {
  review: Review;
  row: ReviewEntity;
  rounds: ReviewRoundEntity[];
}

/** What a new round keeps beside the core's state. */
export interface NewRoundData {
  snapshot: ProposalSnapshot;
  evaluation: RoundEvaluation;
  catalogVersion: number;
}

export interface ReviewListFilter {
  agencyId?: string;
  /** Region-code prefix (a supervisor's division and below). */
  regionPrefix?: string;
  statuses?: ReviewStatus[];
  overdueAt?: Date;
  after?: KeysetPosition;
  limit: number;
}

const OPEN_STATUSES: ReviewStatus[] = ['pending', 'assigned'];

/** The only TypeORM user for reviews and their rounds. */
@Injectable()
export class ReviewRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The agency's division, as AgencyRegistered gave it; undefined for an agency not known (yet). */
  async agencyRegion(agencyId: string): Promise<string | undefined> {
    return (await this.dataSource.manager.findOneBy(KnownAgencyEntity, { id: agencyId }))?.regionCode ?? undefined;
  }

  async byCase(manager: EntityManager, caseId: string): Promise<LoadedReview | null> {
    const row = await manager.findOne(ReviewEntity, { where: { caseId } });
    return row ? this.withRounds(manager, row) : null;
  }

  async byId(reviewId: string, manager: EntityManager = this.dataSource.manager): Promise<LoadedReview | null> {
    const row = await manager.findOne(ReviewEntity, { where: { id: reviewId } });
    return row ? this.withRounds(manager, row) : null;
  }

  /** Inserts a new review with its first round. */
  async insert(
    manager: EntityManager,
    review: Review,
    head: Pick<ReviewEntity, 'regionCode' | 'caseNumber'>,
    data: NewRoundData,
    at: Date,
  ): Promise<void> {
    const state = review.state;
    const round = review.round;
    await manager.insert(ReviewEntity, {
      id: state.id,
      caseId: state.caseId,
      agencyId: state.agencyId,
      regionCode: head.regionCode,
      caseNumber: head.caseNumber,
      status: state.status,
      round: round.number,
      reviewerOfficerId: round.reviewerOfficerId,
      dueAt: round.dueAt,
      overdueAt: round.overdueAt,
      openedAt: at,
      updatedAt: at,
      version: 1,
    });
    await manager.insert(ReviewRoundEntity, roundRow(state.id, round, randomUUID(), data));
  }

  /**
   * Writes what changed: the review's head under its version (409 CONCURRENT_CHANGE when another write came
   * first), the current round, and a new round if one was opened (`data`). A round superseded by the new one
   * is written too.
   */
  async save(manager: EntityManager, loaded: LoadedReview, at: Date, data?: NewRoundData): Promise<void> {
    const { review, row } = loaded;
    const round = review.round;
    const result = await manager.update(
      ReviewEntity,
      { id: row.id, version: row.version },
      {
        status: review.state.status,
        round: round.number,
        reviewerOfficerId: round.reviewerOfficerId,
        dueAt: round.dueAt,
        overdueAt: round.overdueAt,
        updatedAt: at,
        version: row.version + 1,
      },
    );
    if (!result.affected) throw new LegalReviewError('CONCURRENT_CHANGE', '该审核刚被他人处理，请刷新后重试', 'conflict');
    row.version += 1;
    for (const state of review.state.rounds) {
      const stored = loaded.rounds.find((r) => r.number === state.number);
      if (stored) {
        await manager.update(ReviewRoundEntity, { id: stored.id }, mutableFields(state));
      } else {
        if (!data) throw new Error(`round ${state.number} of review ${row.id} has no snapshot`);
        await manager.insert(ReviewRoundEntity, roundRow(row.id, state, randomUUID(), data));
      }
    }
  }

  async setOpinion(manager: EntityManager, reviewId: string, number: number, objectKey: string, sha256: string): Promise<void> {
    await manager.update(ReviewRoundEntity, { reviewId, number }, { opinionObjectKey: objectKey, opinionSha256: sha256 });
  }

  async list(filter: ReviewListFilter): Promise<KeysetPage<ReviewEntity>> {
    const query = this.dataSource.getRepository(ReviewEntity).createQueryBuilder('r');
    if (filter.agencyId) query.andWhere('r.agency_id = :agencyId', { agencyId: filter.agencyId });
    if (filter.regionPrefix) query.andWhere('r.region_code LIKE :prefix', { prefix: `${filter.regionPrefix}%` });
    if (filter.statuses) query.andWhere('r.status IN (:...statuses)', { statuses: filter.statuses });
    if (filter.overdueAt) {
      query.andWhere('r.status IN (:...open)', { open: OPEN_STATUSES }).andWhere('r.due_at <= :now', { now: filter.overdueAt });
    }
    applyKeyset(query, { at: 'r.opened_at', id: 'r.id', order: 'DESC' }, { after: filter.after, limit: filter.limit });
    return keysetPage(await query.getMany(), filter.limit, (row) => ({ at: row.openedAt, id: row.id }));
  }

  /** How many open reviews are past their due instant (the reviews_overdue gauge); reads ix_reviews_status_due. */
  countOverdue(now: Date): Promise<number> {
    return this.dataSource
      .getRepository(ReviewEntity)
      .createQueryBuilder('r')
      .where('r.status IN (:...open)', { open: OPEN_STATUSES })
      .andWhere('r.due_at <= :now', { now })
      .getCount();
  }

  /** Open reviews past their due instant not yet announced as overdue, oldest first. */
  async overdueUnannounced(now: Date, limit: number): Promise<ReviewEntity[]> {
    return this.dataSource
      .getRepository(ReviewEntity)
      .createQueryBuilder('r')
      .where('r.status IN (:...open)', { open: OPEN_STATUSES })
      .andWhere('r.due_at <= :now', { now })
      .andWhere('r.overdue_at IS NULL')
      .orderBy('r.due_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Open reviews per reviewer of an agency. */
  async openByReviewer(agencyId: string, manager: EntityManager = this.dataSource.manager): Promise<Map<string, number>> {
    const rows: Array<{ reviewer: string; open: string | number }> = await manager
      .getRepository(ReviewEntity)
      .createQueryBuilder('r')
      .select('r.reviewer_officer_id', 'reviewer')
      .addSelect('COUNT(*)', 'open')
      .where('r.agency_id = :agencyId', { agencyId })
      .andWhere('r.status IN (:...open)', { open: OPEN_STATUSES })
      .andWhere('r.reviewer_officer_id IS NOT NULL')
      .groupBy('r.reviewer_officer_id')
      .getRawMany();
    return new Map(rows.map((row) => [row.reviewer, Number(row.open)]));
  }

  /** Rounds concluded per reviewer of an agency in [from, to). */
  async concludedByReviewer(agencyId: string, from: Date, to: Date): Promise<Map<string, number>> {
    const rows: Array<{ reviewer: string; concluded: string | number }> = await this.dataSource
      .getRepository(ReviewRoundEntity)
      .createQueryBuilder('round')
      .innerJoin(ReviewEntity, 'r', 'r.id = round.review_id')
      .select('round.reviewer_officer_id', 'reviewer')
      .addSelect('COUNT(*)', 'concluded')
      .where('r.agency_id = :agencyId', { agencyId })
      .andWhere('round.outcome IN (:...outcomes)', { outcomes: ['approved', 'returned', 'rejected'] })
      .andWhere('round.concluded_at >= :from AND round.concluded_at < :to', { from, to })
      .groupBy('round.reviewer_officer_id')
      .getRawMany();
    return new Map(rows.map((row) => [row.reviewer, Number(row.concluded)]));
  }

  private async withRounds(manager: EntityManager, row: ReviewEntity): Promise<LoadedReview> {
    const rounds = await manager.find(ReviewRoundEntity, { where: { reviewId: In([row.id]) }, order: { number: 'ASC' } });
    const review = Review.restore({
      id: row.id,
      caseId: row.caseId,
      agencyId: row.agencyId,
      status: row.status,
      rounds: rounds.map(coreRound),
    });
    return { review, row, rounds };
  }
}

function coreRound(row: ReviewRoundEntity): ReviewRound {
  return {
    number: row.number,
    proposalDigest: row.proposalDigest,
    submittedAt: row.submittedAt,
    dueAt: row.dueAt,
    extensions: row.extensions,
    reviewerOfficerId: row.reviewerOfficerId,
    assignedAt: row.assignedAt,
    outcome: row.outcome,
    items: row.items,
    opinion: row.opinion,
    concludedAt: row.concludedAt,
    discretion: row.evaluation.discretion,
    overdueAt: row.overdueAt,
  };
}

type MutableRoundFields = Pick<
  ReviewRoundEntity,
  'dueAt' | 'extensions' | 'reviewerOfficerId' | 'assignedAt' | 'outcome' | 'items' | 'opinion' | 'concludedAt' | 'overdueAt'
>;

function mutableFields(round: ReviewRound): MutableRoundFields {
  return {
    dueAt: round.dueAt,
    extensions: round.extensions,
    reviewerOfficerId: round.reviewerOfficerId,
    assignedAt: round.assignedAt,
    outcome: round.outcome,
    items: round.items,
    opinion: round.opinion,
    concludedAt: round.concludedAt,
    overdueAt: round.overdueAt,
  };
}

function roundRow(reviewId: string, round: ReviewRound, id: string, data: NewRoundData): ReviewRoundEntity {
  return {
    id,
    reviewId,
    number: round.number,
    proposalDigest: round.proposalDigest,
    snapshot: data.snapshot,
    evaluation: data.evaluation,
    catalogVersion: data.catalogVersion,
    submittedAt: round.submittedAt,
    opinionObjectKey: null,
    opinionSha256: null,
    ...mutableFields(round),
  };
}
