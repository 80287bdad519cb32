import type { DiscretionEvaluation } from './discretion-benchmark';
import { ARTICLES, LegalReviewError } from './legal-review.error';
import type { DeadlineExtension } from './review-deadline';

/** The points the review checks, in the order of 国办发〔2018〕118号. */
export const REVIEW_ITEMS = [
  'enforcing-body',
  'officer-qualification',
  'procedure',
  'facts-and-evidence',
  'law-and-discretion',
  'within-powers',
  'documents',
  'possible-crime',
] as const;
export type ReviewItem = (typeof REVIEW_ITEMS)[number];

export const REVIEW_ITEM_TEXT: Record<ReviewItem, string> = {
  'enforcing-body': '行政执法主体是否合法',
  'officer-qualification': '行政执法人员是否具备执法资格',
  procedure: '执法程序是否合法',
  'facts-and-evidence': '案件事实是否清楚，证据是否合法充分',
  'law-and-discretion': '适用法律、法规、规章是否准确，裁量基准运用是否适当',
  'within-powers': '执法是否超越执法机关法定权限',
  documents: '执法文书是否完备、规范',
  'possible-crime': '违法行为是否涉嫌犯罪、需要移送司法机关',
};

/** `problem` on possible-crime means the conduct may be a crime (涉嫌犯罪). */
export interface ItemFinding {
  item: ReviewItem;
  result: 'pass' | 'problem';
  comment: string;
}

export type ReviewStatus = 'pending' | 'assigned' | 'returned' | 'approved' | 'rejected';
export type ReviewOutcome = 'approved' | 'returned' | 'rejected';
export type RoundOutcome = ReviewOutcome | 'superseded';

export const OUTCOME_TEXT: Record<ReviewOutcome, string> = {
  approved: '同意',
  returned: '退回补充调查或者补正',
  rejected: '不同意',
};

/** One submission of the case to review and what became of it; rounds are never rewritten, only added. */
export interface ReviewRound {
  number: number;
  /** The digest of the proposal submitted (the `legal-review` record's hash in the case's chain). */
  proposalDigest: string;
  submittedAt: Date;
  dueAt: Date;
  extensions: DeadlineExtension[];
  reviewerOfficerId: string | null;
  assignedAt: Date | null;
  outcome: RoundOutcome | null;
  items: ItemFinding[];
  opinion: string;
  concludedAt: Date | null;
  /** The discretion computation of the proposal, or null when it named no benchmark violation. */
  discretion: DiscretionEvaluation | null;
  overdueAt: Date | null;
}

export interface ReviewState {
  id: string;
  caseId: string;
  agencyId: string;
  status: ReviewStatus;
  rounds: ReviewRound[];
}

export interface Submission {
  proposalDigest: string;
  submittedAt: Date;
  dueAt: Date;
  discretion: DiscretionEvaluation | null;
}

export interface Conclusion {
  outcome: ReviewOutcome;
  items: readonly ItemFinding[];
  opinion: string;
  by: string;
  at: Date;
}

const OPEN: ReadonlySet<ReviewStatus> = new Set(['pending', 'assigned']);

/**
 * A case's legal review (法制审核, Art. 58) across its rounds: pending → assigned → approved, returned or
 * rejected. A return sends the case back; the resubmitted proposal opens a new round, and earlier rounds keep
 * their history. A new proposal while a round is open supersedes it. Plain: repositories load and save it.
 */
export class Review {
  private constructor(private readonly current: ReviewState) {}

  static restore(state: ReviewState): Review {
    return new Review(state);
  }

  static open(id: string, caseId: string, agencyId: string, submission: Submission): Review {
    const review = new Review({ id, caseId, agencyId, status: 'pending', rounds: [] });
    review.addRound(submission, null, null);
    return review;
  }

  get state(): Readonly<ReviewState> {
    return this.current;
  }

  get round(): ReviewRound {
    const round = this.current.rounds.at(-1);
    if (!round) throw new Error(`review ${this.current.id} has no round`);
    return round;
  }

  get isOpen(): boolean {
    return OPEN.has(this.current.status);
  }

  /**
   * A new proposal for the same case: after a return (resubmission, the same reviewer goes on), after an
   * approval or refusal (the proposal changed, so it is reviewed again), or while a round is open (it is
   * superseded). The same digest again is a redelivery and changes nothing (returns false).
   */
  submit(submission: Submission): boolean {
    const round = this.round;
    if (round.proposalDigest === submission.proposalDigest) return false;
    const previousReviewer = round.reviewerOfficerId;
    if (this.isOpen) {
      round.outcome = 'superseded';
      round.concludedAt = submission.submittedAt;
    }
    this.addRound(submission, previousReviewer, submission.submittedAt);
    return true;
  }

  /** Claimed by a reviewer or assigned by the agency; eligibility is checked by the caller. */
  assign(reviewerOfficerId: string, at: Date): void {
    this.assertOpen();
    this.round.reviewerOfficerId = reviewerOfficerId;
    this.round.assignedAt = at;
    this.current.status = 'assigned';
  }

  extend(extension: DeadlineExtension): void {
    this.assertOpen();
    this.round.extensions.push(extension);
    this.round.dueAt = new Date(extension.dueAt);
    this.round.overdueAt = null;
  }

  /** Marks the open round overdue once; false when it was already marked or is not open. */
  markOverdue(at: Date): boolean {
    if (!this.isOpen || this.round.overdueAt) return false;
    this.round.overdueAt = at;
    return true;
  }

  /** The reviewer's conclusion on every item of the guidance, with the rules each outcome must satisfy. */
  conclude(conclusion: Conclusion): void {
    this.assertOpen();
    const round = this.round;
    if (round.reviewerOfficerId !== conclusion.by) {
      throw new LegalReviewError('REVIEW_NOT_ASSIGNED', '该审核未分配给您，请先认领', 'conflict');
    }
    assertConclusionComplete(conclusion);
    const problems = conclusion.items.filter((finding) => finding.result === 'problem' && finding.item !== 'possible-crime');
    if (conclusion.outcome === 'approved') {
      if (problems.length > 0) {
        throw new LegalReviewError('APPROVAL_WITH_PROBLEMS', '审核事项存在问题的，不得作出同意的审核意见', 'refused', {
          article: ARTICLES.art58,
          details: { items: problems.map((finding) => finding.item) },
        });
      }
      if (round.discretion && !round.discretion.inBand && !round.discretion.outOfBandReason) {
        throw new LegalReviewError('OUT_OF_BAND_REASON_REQUIRED', '拟处罚超出裁量基准且未书面说明理由，不得同意', 'refused', {
          article: ARTICLES.art34,
          details: { findings: round.discretion.findings },
        });
      }
    } else if (problems.length === 0 && !isPossibleCrime(conclusion.items)) {
      throw new LegalReviewError('PROBLEM_REQUIRED', '退回或不同意的，须至少指出一项存在的问题', 'invalid');
    }
    round.outcome = conclusion.outcome;
    round.items = conclusion.items.map((finding) => ({ ...finding, comment: finding.comment.trim() }));
    round.opinion = conclusion.opinion.trim();
    round.concludedAt = conclusion.at;
    this.current.status = conclusion.outcome;
  }

  private assertOpen(): void {
    if (!this.isOpen) {
      throw new LegalReviewError('REVIEW_NOT_OPEN', '该审核已作出结论，待办案机构重新提交', 'conflict', {
        details: { status: this.current.status },
      });
    }
  }

  private addRound(submission: Submission, reviewerOfficerId: string | null, assignedAt: Date | null): void {
    this.current.rounds.push({
      number: this.current.rounds.length + 1,
      proposalDigest: submission.proposalDigest,
      submittedAt: submission.submittedAt,
      dueAt: submission.dueAt,
      extensions: [],
      reviewerOfficerId,
      assignedAt,
      outcome: null,
      items: [],
      opinion: '',
      concludedAt: null,
      discretion: submission.discretion,
      overdueAt: null,
    });
    this.current.status = reviewerOfficerId ? 'assigned' : 'pending';
  }
}

export function isPossibleCrime(items: readonly ItemFinding[]): boolean {
  return items.some((finding) => finding.item === 'possible-crime' && finding.result === 'problem');
}

/** Every item once, a comment on every problem, an opinion (400 REVIEW_ITEMS_INCOMPLETE, ITEM_COMMENT_REQUIRED, OPINION_REQUIRED). */
function assertConclusionComplete(conclusion: Conclusion): void {
  const seen = new Set<string>();
  for (const finding of conclusion.items) {
    if (!(REVIEW_ITEMS as readonly string[]).includes(finding.item) || seen.has(finding.item)) {
      throw new LegalReviewError('REVIEW_ITEMS_INCOMPLETE', '审核事项须逐项填写且不得重复', 'invalid', { details: { item: finding.item } });
    }
    seen.add(finding.item);
    if (finding.result === 'problem' && !finding.comment.trim()) {
      throw new LegalReviewError('ITEM_COMMENT_REQUIRED', `审核事项"${REVIEW_ITEM_TEXT[finding.item]}"存在问题的，须写明意见`, 'invalid', {
        details: { item: finding.item },
      });
    }
  }
  const missing = REVIEW_ITEMS.filter((item) => !seen.has(item));
  if (missing.length > 0) {
    throw new LegalReviewError('REVIEW_ITEMS_INCOMPLETE', '审核事项须逐项填写', 'invalid', {
      article: ARTICLES.guidance118,
      details: { missing },
    });
  }
  if (!conclusion.opinion.trim()) throw new LegalReviewError('OPINION_REQUIRED', '须填写审核意见', 'invalid');
}
