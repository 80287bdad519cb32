/** 118号: legal review staff are, in principle, at least 5% of the agency's enforcement staff. */
export const REVIEWER_STAFF_GUIDELINE = 0.05;

export interface StaffingFigures {
  enforcementOfficers: number;
  reviewers: number;
  /** Reviews concluded in the month, by reviewer. */
  concludedByReviewer: ReadonlyMap<string, number>;
}

export interface Staffing {
  enforcementOfficers: number;
  reviewers: number;
  ratio: number | null;
  requiredReviewers: number;
  meetsGuideline: boolean;
  reviewsConcluded: number;
  reviewsPerReviewer: number | null;
}

/** What supervisors see of an agency's review staffing. */
export function staffingOf(figures: StaffingFigures): Staffing {
  const { enforcementOfficers, reviewers } = figures;
  const requiredReviewers = Math.ceil(enforcementOfficers * REVIEWER_STAFF_GUIDELINE);
  const reviewsConcluded = [...figures.concludedByReviewer.values()].reduce((sum, n) => sum + n, 0);
  return {
    enforcementOfficers,
    reviewers,
    ratio: enforcementOfficers === 0 ? null : Math.round((reviewers / enforcementOfficers) * 10_000) / 10_000,
    requiredReviewers,
    meetsGuideline: reviewers >= requiredReviewers,
    reviewsConcluded,
    reviewsPerReviewer: reviewers === 0 ? null : Math.round((reviewsConcluded / reviewers) * 100) / 100,
  };
}
