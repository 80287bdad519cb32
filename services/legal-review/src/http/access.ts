import type { AuthenticatedUser } from '@enforcement/auth';
import { regionCovers } from '@enforcement/certificates';
import { LegalReviewError } from '../review-core/legal-review.error';

/**
 * Who sees what: reviewers and agency heads (agency-admin) of an agency its reviews; supervisors (执法监督) the
 * reviews of cases in their region; system administrators all.
 */
export function canReadReview(user: AuthenticatedUser, review: { agencyId: string; regionCode: string }): boolean {
  if (user.roles.includes('system-admin')) return true;
  if (user.agencyId && user.agencyId === review.agencyId && (user.roles.includes('reviewer') || user.roles.includes('agency-admin')))
    return true;
  return user.roles.includes('supervisor') && !!user.supervisedRegionCode && regionCovers(user.supervisedRegionCode, review.regionCode);
}

export function reviewScope(): LegalReviewError {
  return new LegalReviewError('REVIEW_SCOPE', '只能查看本机关（或监督辖区内）的法制审核', 'forbidden');
}

/** Writes to an agency's catalog, benchmark or reviews: its own staff only (system administrators too). */
export function assertOwnAgency(user: AuthenticatedUser, agencyId: string): void {
  if (user.roles.includes('system-admin')) return;
  if (!user.agencyId || user.agencyId !== agencyId) {
    throw new LegalReviewError('AGENCY_SCOPE', '只能管理本机关的数据', 'forbidden');
  }
}
