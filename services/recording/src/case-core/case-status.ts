import { penaltiesOf } from './case-procedure';
import type { CaseStatus, LegalReviewStatus, PartyKind } from './case.types';
import { DEFAULT_THRESHOLDS, hearingAvailable, type PenaltyThresholds } from './penalties';

/**
 * The record an agency head's, a supervisor's or the catalog's demand for legal review leaves in the case's chain
 * (ReviewDemanded, 118号). Recorded by the system, never through the steps API (it is no StepType an officer can send).
 */
export const LEGAL_REVIEW_DEMAND = 'legal-review-demand';

/** The columns of a case that its records decide: what the decision gates read besides the procedure state. */
export interface CaseStatusFacts {
  status: CaseStatus;
  legalReviewStatus: LegalReviewStatus;
  /** ISO 8601, UTC; null while the case is not closed. */
  closedAt: string | null;
}

/** A record as this needs it: what the chain holds of it. */
export interface StatusRecord {
  stepType: string;
  fields: Record<string, unknown>;
  /** ISO 8601, UTC, as chained. */
  recordedAt: string;
}

const REVIEW_OUTCOMES: ReadonlySet<string> = new Set(['approved', 'returned', 'rejected']);

/**
 * The status one more record leaves: what Case.stepRecorded applies to the case as a step is recorded, and what the
 * chain verifier folds from a whole chain (caseStatusOf), so the two cannot drift apart. Art. 58: a hearing, or a
 * notice of a penalty heavy enough for one (Art. 63, on the agency's thresholds), binds the case to legal review, and
 * a new notice proposes anew, to be reviewed again. A notice's need of review rests on what the record itself says
 * (`requiresLegalReview`, or the `hearingRight` the rules derived when it was recorded); a notice recorded before that
 * field existed is judged with `thresholds`.
 */
export function statusAfter(
  facts: CaseStatusFacts,
  record: StatusRecord,
  partyKind: PartyKind,
  thresholds: PenaltyThresholds = DEFAULT_THRESHOLDS,
): CaseStatusFacts {
  const next = { ...facts };
  const { stepType, fields } = record;
  if (stepType === 'notice' || stepType === 'hearing') {
    const hearingRight =
      typeof fields['hearingRight'] === 'boolean' ? fields['hearingRight'] : hearingAvailable(penaltiesOf(fields), partyKind, thresholds);
    const needsReview = stepType === 'hearing' || fields['requiresLegalReview'] === true || hearingRight;
    if (needsReview && next.legalReviewStatus === 'not-required') next.legalReviewStatus = 'required';
    if (stepType === 'notice' && next.legalReviewStatus === 'approved') next.legalReviewStatus = 'required';
  }
  if (stepType === 'legal-review') next.legalReviewStatus = 'requested';
  if (stepType === 'legal-review-result' && typeof fields['outcome'] === 'string' && REVIEW_OUTCOMES.has(fields['outcome'])) {
    next.legalReviewStatus = fields['outcome'] as LegalReviewStatus;
  }
  if (stepType === LEGAL_REVIEW_DEMAND && next.status === 'open' && next.legalReviewStatus === 'not-required') {
    next.legalReviewStatus = 'required';
  }
  if (stepType === 'decision') next.status = 'decided';
  if (stepType === 'closing') {
    next.status = 'closed';
    next.closedAt = record.recordedAt;
  }
  return next;
}

/** The status a whole chain of records leaves, from the opening on. */
export function caseStatusOf(records: readonly StatusRecord[], partyKind: PartyKind): CaseStatusFacts {
  let facts: CaseStatusFacts = { status: 'open', legalReviewStatus: 'not-required', closedAt: null };
  for (const record of records) facts = statusAfter(facts, record, partyKind);
  return facts;
}
