import { emptyCaseCourse, type CaseCourse, type PendingExtension } from './case-course';
import type { CaseStatus, LegalReviewStatus } from './case.types';

/** What the closing, alteration and decision-period rules read of a case: its row and its folded course. */
export interface CourseFacts {
  status: CaseStatus;
  legalReviewStatus: LegalReviewStatus;
  course: CaseCourse;
  /** The latest hearing request and the latest hearing (ISO 8601), as the procedure state keeps them. */
  hearingRequestedAt: string | null;
  latestHearingAt: string | null;
  /** The extension of the decision period requested and waiting for the agency head (Art. 60); absent: none. */
  pendingExtension?: PendingExtension;
}

/** The part of a procedure state (procedure-state.ts) the course rules read. */
export interface CourseOfState {
  latest: { 'hearing-request'?: { occurredAt: string } };
  latestHearingAt: string | null;
  course?: CaseCourse;
  pendingDecisionPeriodExtension?: PendingExtension;
}

/** The course facts of a case from its row and its procedure state. */
export function courseFactsOf(facts: { status: CaseStatus; legalReviewStatus: LegalReviewStatus; state: CourseOfState }): CourseFacts {
  return {
    status: facts.status,
    legalReviewStatus: facts.legalReviewStatus,
    course: facts.state.course ?? emptyCaseCourse(),
    hearingRequestedAt: facts.state.latest['hearing-request']?.occurredAt ?? null,
    latestHearingAt: facts.state.latestHearingAt,
    ...(facts.state.pendingDecisionPeriodExtension ? { pendingExtension: facts.state.pendingDecisionPeriodExtension } : {}),
  };
}
