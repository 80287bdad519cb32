import type { CaseCourse } from './case-course';
import type { CaseStatus, LegalReviewStatus } from './case.types';

/** What the closing, alteration and decision-period rules read of a case: its row and its folded course. */
export interface CourseFacts {
  status: CaseStatus;
  legalReviewStatus: LegalReviewStatus;
  course: CaseCourse;
  /** The latest hearing request and the latest hearing (ISO 8601), as the procedure state keeps them. */
  hearingRequestedAt: string | null;
  latestHearingAt: string | null;
}
