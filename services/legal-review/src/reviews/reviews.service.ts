import { Inject, Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import type { WorkingDayCalendar } from '@enforcement/calendar';
import { coveragePrefix, regionCovers } from '@enforcement/certificates';
import { Events, legalReviewV1, timestampFromDate } from '@enforcement/contracts';
import { TransactionalOutbox, type Emit } from '@enforcement/events';
import { pageView, type KeysetPosition, type PageView } from '@enforcement/service-runtime';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { EntityManager } from 'typeorm';
import { CatalogService } from '../catalog/catalog.service';
import { BenchmarkService } from '../discretion/benchmark.service';
import { assertOwnAgency, canReadReview, reviewScope } from '../http/access';
import { OPINION_RENDERER, type OpinionRenderer } from '../opinion/opinion-renderer';
import { evaluateCatalog } from '../review-core/catalog';
import { evaluateDiscretion, type DiscretionEvaluation } from '../review-core/discretion-benchmark';
import { LegalReviewError } from '../review-core/legal-review.error';
import type { ProposalSnapshot, RoundEvaluation } from '../review-core/proposal-snapshot';
import { isPossibleCrime, Review, type ItemFinding, type ReviewOutcome, type ReviewStatus } from '../review-core/review';
import { extendDueAt, reviewDueAt } from '../review-core/review-deadline';
import { assertEligibleReviewer, chooseReviewer, type CaseParticipants } from '../review-core/reviewer-eligibility';
import { staffingOf, type Staffing } from '../review-core/staffing';
import { ReviewerDirectoryService } from '../reviewers/reviewer-directory.service';
import type { ReviewRoundEntity } from './review-round.entity';
import type { ReviewEntity } from './review.entity';
import { ReviewRepository, type LoadedReview } from './review.repository';

export const REVIEW_CALENDAR = Symbol('REVIEW_CALENDAR');

const OUTCOME_WIRE: Record<ReviewOutcome, legalReviewV1.ReviewOutcome> = {
  approved: legalReviewV1.ReviewOutcome.APPROVED,
  returned: legalReviewV1.ReviewOutcome.RETURNED,
  rejected: legalReviewV1.ReviewOutcome.REJECTED,
};

export interface ReviewSummary {
  id: string;
  caseId: string;
  caseNumber: string;
  agencyId: string;
  regionCode: string;
  status: ReviewStatus;
  round: number;
  reviewerOfficerId: string | null;
  dueAt: string;
  overdue: boolean;
  openedAt: string;
}

export interface ReviewDetail extends ReviewSummary {
  rounds: Array<Omit<ReviewRoundEntity, 'id' | 'reviewId'> & { possibleCrime: boolean }>;
}

/**
 * The review queue (法制审核, Art. 58): a proposal from recording opens a review (or a new round), the
 * catalog's and benchmark's computations kept with its snapshot; reviewers claim or are assigned; the
 * conclusion on every item of the guidance goes back to recording with the digest of the proposal it is about.
 */
@Injectable()
export class ReviewsService {
  constructor(
    /** The service's outbox: its commits wake the relay at once. */
    private readonly outbox: TransactionalOutbox,
    private readonly reviews: ReviewRepository,
    private readonly catalog: CatalogService,
    private readonly benchmark: BenchmarkService,
    private readonly reviewers: ReviewerDirectoryService,
    @Inject(REVIEW_CALENDAR) private readonly calendars: { calendar(): WorkingDayCalendar },
    @Inject(OPINION_RENDERER) private readonly opinions: OpinionRenderer,
  ) {}

  /** A proposal arrived (DecisionProposed): evaluate it, open the review or its next round, announce it. */
  async submitProposal(manager: EntityManager, emit: Emit, snapshot: ProposalSnapshot): Promise<void> {
    const submittedAt = new Date(snapshot.proposedAt);
    const catalog = await this.catalog.current(snapshot.agencyId, manager);
    const evaluation = await this.evaluate(manager, snapshot, catalog);
    const dueAt = reviewDueAt(this.calendars.calendar(), submittedAt, catalog.content.reviewWorkingDays).dueAt;
    const submission = { proposalDigest: snapshot.proposalDigest, submittedAt, dueAt, discretion: evaluation.discretion };
    const data = { snapshot, evaluation, catalogVersion: catalog.version };
    const held = await this.reviews.byCase(manager, snapshot.caseId);
    let review: Review;
    if (held) {
      if (!held.review.submit(submission)) return;
      await this.reviews.save(manager, held, new Date(), data);
      review = held.review;
    } else {
      review = Review.open(randomUUID(), snapshot.caseId, snapshot.agencyId, submission);
      await this.reviews.insert(manager, review, { regionCode: snapshot.regionCode, caseNumber: snapshot.caseNumber }, data, new Date());
    }
    const options = { partitionKey: snapshot.caseId, agencyId: snapshot.agencyId, actingUserId: snapshot.proposedBy };
    await emit(
      Events.ReviewRequested,
      {
        reviewId: review.state.id,
        caseId: snapshot.caseId,
        agencyId: snapshot.agencyId,
        catalogEntryIds: evaluation.catalog.matches.map((match) => match.ruleId),
        dueAt: timestampFromDate(dueAt),
        proposalDigest: snapshot.proposalDigest,
        round: review.round.number,
        catalogVersion: catalog.version,
        catalogRequiresReview: evaluation.catalog.reviewRequired,
      },
      options,
    );
    // After a return the reviewer of the earlier round goes on with the resubmission.
    if (review.round.reviewerOfficerId) {
      await emit(
        Events.ReviewAssigned,
        {
          reviewId: review.state.id,
          caseId: snapshot.caseId,
          reviewerOfficerId: review.round.reviewerOfficerId,
          round: review.round.number,
        },
        options,
      );
    }
  }

  /** A reviewer takes a review of their agency (REVIEWER_CONFLICT, REVIEWER_NOT_QUALIFIED refused). */
  claim(reviewId: string, user: AuthenticatedUser): Promise<ReviewDetail> {
    return this.assignTo(reviewId, user, user.userId);
  }

  /** The agency assigns a reviewer, or the one with the fewest open reviews (balanced) when none is named. */
  assign(reviewId: string, user: AuthenticatedUser, reviewerOfficerId?: string): Promise<ReviewDetail> {
    return this.assignTo(reviewId, user, reviewerOfficerId);
  }

  async conclude(
    reviewId: string,
    user: AuthenticatedUser,
    input: { outcome: ReviewOutcome; items: ItemFinding[]; opinion: string },
  ): Promise<ReviewDetail> {
    const concluded = await this.outbox.run(async (tx) => {
      const loaded = await this.loadForAction(tx.manager, reviewId, user);
      const at = new Date();
      loaded.review.conclude({ ...input, by: user.userId, at });
      const round = loaded.review.round;
      const { snapshot, evaluation } = this.roundRow(loaded, round.number);
      const reviewer = await this.reviewers.candidate(user.userId, tx.manager);
      const opinion = await this.opinions.render({
        reviewId,
        round: round.number,
        caseNumber: snapshot.caseNumber,
        agencyId: snapshot.agencyId,
        snapshot,
        outcome: input.outcome,
        items: round.items,
        opinion: round.opinion,
        reviewerOfficerId: user.userId,
        reviewerName: reviewer?.name ?? user.name ?? user.userId,
        discretion: round.discretion,
        concludedAt: at,
      });
      await this.reviews.save(tx.manager, loaded, at);
      await this.reviews.setOpinion(tx.manager, reviewId, round.number, opinion.objectKey, opinion.sha256);
      await tx.emit(
        Events.ReviewConcluded,
        {
          reviewId,
          caseId: loaded.row.caseId,
          outcome: OUTCOME_WIRE[input.outcome],
          opinion: round.opinion,
          reviewerOfficerId: user.userId,
          concludedAt: timestampFromDate(at),
          proposalDigest: round.proposalDigest,
          round: round.number,
          possibleCrime: isPossibleCrime(round.items),
          opinionObjectKey: opinion.objectKey,
          opinionSha256: opinion.sha256,
          collectiveDecisionRequired: evaluation.catalog.collectiveDecision.required,
        },
        { partitionKey: loaded.row.caseId, agencyId: loaded.row.agencyId, actingUserId: user.userId },
      );
      return loaded.row.id;
    });
    return this.detail(concluded, user);
  }

  /** The agency extends the current round's period, with a reason (on the working-day calendar). */
  async extend(reviewId: string, user: AuthenticatedUser, input: { workingDays: number; reason: string }): Promise<ReviewDetail> {
    await this.outbox.run(async (tx) => {
      const loaded = await this.loadForAction(tx.manager, reviewId, user);
      const due = extendDueAt(this.calendars.calendar(), loaded.review.round.dueAt, input.workingDays, input.reason);
      const at = new Date();
      loaded.review.extend({
        workingDays: input.workingDays,
        reason: input.reason.trim(),
        by: user.userId,
        at: at.toISOString(),
        dueAt: due.dueAt.toISOString(),
      });
      await this.reviews.save(tx.manager, loaded, at);
    });
    return this.detail(reviewId, user);
  }

  /** Marks open reviews past their period overdue and announces each once (ReviewOverdue); the count. */
  async announceOverdue(now = new Date(), limit = 200): Promise<number> {
    let announced = 0;
    for (const row of await this.reviews.overdueUnannounced(now, limit)) {
      await this.outbox.run(async (tx) => {
        const loaded = await this.reviews.byId(row.id, tx.manager);
        if (!loaded || !loaded.review.markOverdue(now)) return;
        await this.reviews.save(tx.manager, loaded, now);
        const round = loaded.review.round;
        await tx.emit(
          Events.ReviewOverdue,
          { reviewId: row.id, caseId: row.caseId, dueAt: timestampFromDate(round.dueAt), round: round.number, agencyId: row.agencyId },
          { partitionKey: row.caseId, agencyId: row.agencyId },
        );
        announced++;
      });
    }
    return announced;
  }

  async detail(reviewId: string, user: AuthenticatedUser): Promise<ReviewDetail> {
    const loaded = await this.reviews.byId(reviewId);
    if (!loaded) throw notFound();
    if (!canReadReview(user, loaded.row)) throw reviewScope();
    return {
      ...summaryOf(loaded.row),
      rounds: loaded.rounds.map(({ id: _id, reviewId: _reviewId, ...round }) => ({
        ...round,
        possibleCrime: isPossibleCrime(round.items),
      })),
    };
  }

  /** The written opinion (PDF) of a concluded round, for whoever may read the review. */
  async opinionOf(reviewId: string, number: number, user: AuthenticatedUser): Promise<{ stream: Readable; sha256: string }> {
    const loaded = await this.reviews.byId(reviewId);
    if (!loaded) throw notFound();
    if (!canReadReview(user, loaded.row)) throw reviewScope();
    const round = loaded.rounds.find((r) => r.number === number);
    if (!round?.opinionObjectKey || !round.opinionSha256) {
      throw new LegalReviewError('OPINION_NOT_FOUND', '该轮审核尚无审核意见书', 'not-found');
    }
    return { stream: await this.opinions.read(round.opinionObjectKey), sha256: round.opinionSha256 };
  }

  /** The reviews a user may see, newest first; `overdue` lists open reviews past their period (supervisors' list). */
  async list(
    user: AuthenticatedUser,
    query: { status?: ReviewStatus; overdue?: boolean; agencyId?: string; limit: number; after?: KeysetPosition },
  ): Promise<PageView<ReviewSummary>> {
    const scope = listScope(user, query.agencyId);
    const page = await this.reviews.list({
      ...scope,
      statuses: query.status ? [query.status] : undefined,
      overdueAt: query.overdue ? new Date() : undefined,
      after: query.after,
      limit: query.limit,
    });
    return pageView(page, summaryOf);
  }

  /** Reviewers of the agency and their open reviews, with what they concluded this month. */
  async workload(agencyId: string, user: AuthenticatedUser) {
    await this.assertAgencyReadable(user, agencyId);
    const [reviewers, open, concluded] = await Promise.all([
      this.reviewers.reviewers(agencyId),
      this.reviews.openByReviewer(agencyId),
      this.reviews.concludedByReviewer(agencyId, ...monthBounds(new Date())),
    ]);
    const unassigned = await this.reviews.list({ agencyId, statuses: ['pending'], limit: 1000 });
    return {
      agencyId,
      unassigned: unassigned.items.length,
      reviewers: reviewers.map((reviewer) => ({
        officerId: reviewer.officerId,
        name: reviewer.name,
        openReviews: open.get(reviewer.officerId) ?? 0,
        concludedThisMonth: concluded.get(reviewer.officerId) ?? 0,
      })),
    };
  }

  /** Reviewers against 5% of enforcement officers, and reviews per reviewer in a month (118号), for supervisors. */
  async staffing(agencyId: string, month: string, user: AuthenticatedUser): Promise<Staffing & { agencyId: string; month: string }> {
    await this.assertAgencyReadable(user, agencyId);
    const [from, to] = monthBounds(new Date(`${month}-01T00:00:00+08:00`));
    const [officers, reviewers, concluded] = await Promise.all([
      this.reviewers.enforcementOfficers(agencyId),
      this.reviewers.reviewers(agencyId),
      this.reviews.concludedByReviewer(agencyId, from, to),
    ]);
    return {
      agencyId,
      month,
      ...staffingOf({ enforcementOfficers: officers, reviewers: reviewers.length, concludedByReviewer: concluded }),
    };
  }

  /**
   * An agency's figures are for its own reviewers and administrators, system administrators, and the supervisors
   * whose division holds the agency (its region as AgencyRegistered gave it; an agency not known yet is refused).
   */
  private async assertAgencyReadable(user: AuthenticatedUser, agencyId: string): Promise<void> {
    if (user.roles.includes('system-admin')) return;
    if (user.agencyId === agencyId && (user.roles.includes('reviewer') || user.roles.includes('agency-admin'))) return;
    if (user.roles.includes('supervisor') && user.supervisedRegionCode) {
      const regionCode = await this.reviews.agencyRegion(agencyId);
      if (regionCode && regionCovers(user.supervisedRegionCode, regionCode)) return;
    }
    throw reviewScope();
  }

  private async assignTo(reviewId: string, user: AuthenticatedUser, reviewerOfficerId: string | undefined): Promise<ReviewDetail> {
    await this.outbox.run(async (tx) => {
      const loaded = await this.loadForAction(tx.manager, reviewId, user);
      const participants = participantsOf(this.roundRow(loaded, loaded.review.round.number).snapshot);
      const agencyId = loaded.row.agencyId;
      let chosen: string;
      if (reviewerOfficerId) {
        const candidate = await this.reviewers.candidate(reviewerOfficerId, tx.manager);
        if (!candidate) {
          throw new LegalReviewError('REVIEWER_NOT_QUALIFIED', '审核人员未取得法制审核资格（法律职业资格）', 'refused', {
            article: '《行政处罚法》第五十八条',
          });
        }
        assertEligibleReviewer(candidate, agencyId, participants);
        chosen = candidate.officerId;
      } else {
        const best = chooseReviewer(
          await this.reviewers.reviewers(agencyId, tx.manager),
          agencyId,
          participants,
          await this.reviews.openByReviewer(agencyId, tx.manager),
        );
        if (!best) throw new LegalReviewError('NO_ELIGIBLE_REVIEWER', '本机关没有可以审核本案的法制审核人员', 'refused');
        chosen = best.officerId;
      }
      const at = new Date();
      loaded.review.assign(chosen, at);
      await this.reviews.save(tx.manager, loaded, at);
      await tx.emit(
        Events.ReviewAssigned,
        { reviewId, caseId: loaded.row.caseId, reviewerOfficerId: chosen, round: loaded.review.round.number },
        { partitionKey: loaded.row.caseId, agencyId, actingUserId: user.userId },
      );
    });
    return this.detail(reviewId, user);
  }

  /** For writes: the review of the caller's own agency (a supervisor only reads). */
  private async loadForAction(manager: EntityManager, reviewId: string, user: AuthenticatedUser): Promise<LoadedReview> {
    const loaded = await this.reviews.byId(reviewId, manager);
    if (!loaded) throw notFound();
    if (!canReadReview(user, loaded.row)) throw reviewScope();
    assertOwnAgency(user, loaded.row.agencyId);
    return loaded;
  }

  private roundRow(loaded: LoadedReview, number: number): ReviewRoundEntity {
    const row = loaded.rounds.find((round) => round.number === number);
    if (!row) throw new Error(`review ${loaded.row.id} has no stored round ${number}`);
    return row;
  }

  private async evaluate(
    manager: EntityManager,
    snapshot: ProposalSnapshot,
    catalog: Awaited<ReturnType<CatalogService['current']>>,
  ): Promise<RoundEvaluation> {
    const evaluation = evaluateCatalog(catalog, {
      domain: snapshot.domain,
      partyKind: snapshot.partyKind,
      penalties: snapshot.penalties,
      hearingHeld: snapshot.hearingHeld,
      flags: snapshot.flags,
      conditions: snapshot.conditions,
    });
    let discretion: DiscretionEvaluation | null = null;
    let benchmarkMissing = false;
    if (snapshot.discretion) {
      const entry = await this.benchmark.find(snapshot.agencyId, snapshot.discretion.violationCode, manager);
      if (entry) {
        discretion = evaluateDiscretion(entry, {
          violationCode: entry.violationCode,
          band: snapshot.discretion.band,
          penalties: snapshot.penalties,
          illegalGainsFen: snapshot.discretion.illegalGainsFen,
          outOfBandReason: snapshot.discretion.outOfBandReason,
        });
      } else {
        benchmarkMissing = true;
      }
    }
    return { catalog: evaluation, discretion, benchmarkMissing };
  }
}

function participantsOf(snapshot: ProposalSnapshot): CaseParticipants {
  return {
    handlingOfficerIds: snapshot.handlingOfficerIds,
    actingOfficerIds: snapshot.actingOfficerIds,
    hearingChairOfficerIds: snapshot.hearingChairOfficerIds,
  };
}

function summaryOf(row: ReviewEntity): ReviewSummary {
  return {
    id: row.id,
    caseId: row.caseId,
    caseNumber: row.caseNumber,
    agencyId: row.agencyId,
    regionCode: row.regionCode,
    status: row.status,
    round: row.round,
    reviewerOfficerId: row.reviewerOfficerId,
    dueAt: row.dueAt.toISOString(),
    overdue: row.overdueAt !== null || ((row.status === 'pending' || row.status === 'assigned') && row.dueAt.getTime() <= Date.now()),
    openedAt: row.openedAt.toISOString(),
  };
}

function notFound(): LegalReviewError {
  return new LegalReviewError('REVIEW_NOT_FOUND', '法制审核不存在', 'not-found');
}

/** Which reviews a list may hold for `user`. */
function listScope(user: AuthenticatedUser, agencyId: string | undefined): { agencyId?: string; regionPrefix?: string } {
  if (user.roles.includes('system-admin')) return { agencyId };
  if (user.roles.includes('supervisor') && user.supervisedRegionCode)
    return { agencyId, regionPrefix: coveragePrefix(user.supervisedRegionCode) };
  if (user.agencyId && (user.roles.includes('reviewer') || user.roles.includes('agency-admin'))) {
    if (agencyId && agencyId !== user.agencyId) throw reviewScope();
    return { agencyId: user.agencyId };
  }
  throw reviewScope();
}

/** [first instant of the Shanghai month of `at`, first instant of the next). */
function monthBounds(at: Date): [Date, Date] {
  const shanghai = new Date(at.getTime() + 8 * 3_600_000);
  const year = shanghai.getUTCFullYear();
  const month = shanghai.getUTCMonth();
  const start = new Date(Date.UTC(year, month, 1) - 8 * 3_600_000);
  const end = new Date(Date.UTC(year, month + 1, 1) - 8 * 3_600_000);
  return [start, end];
}
