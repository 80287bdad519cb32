import { ARTICLES, LegalReviewError } from './legal-review.error';

/** A possible reviewer as the certificates read model knows them. */
export interface ReviewerCandidate {
  officerId: string;
  agencyId: string;
  /** Holds the reviewer role, which certificates grants only with a legal-review qualification (法律职业资格). */
  qualified: boolean;
}

/** Who took part in the case: nobody among them may review it. */
export interface CaseParticipants {
  handlingOfficerIds: readonly string[];
  actingOfficerIds: readonly string[];
  hearingChairOfficerIds: readonly string[];
}

/** Why `candidate` may not review the case, or null. */
export function ineligibility(candidate: ReviewerCandidate, agencyId: string, participants: CaseParticipants): LegalReviewError | null {
  if (candidate.agencyId !== agencyId) {
    return new LegalReviewError('REVIEWER_OTHER_AGENCY', '审核人员不属于本案的执法机关', 'refused', { article: ARTICLES.guidance118 });
  }
  if (!candidate.qualified) {
    // Art. 58 para. 3: staff doing legal review for the first time hold the national legal professional qualification.
    return new LegalReviewError('REVIEWER_NOT_QUALIFIED', '审核人员未取得法制审核资格（法律职业资格）', 'refused', {
      article: ARTICLES.art58,
    });
  }
  const id = candidate.officerId;
  if (participants.handlingOfficerIds.includes(id) || participants.actingOfficerIds.includes(id)) {
    // 118号: review is separate from case handling; nobody reviews a case they acted in.
    return new LegalReviewError('REVIEWER_CONFLICT', '参与办理本案的执法人员不得审核本案', 'refused', {
      article: ARTICLES.guidance118,
      details: { role: 'case-handling' },
    });
  }
  if (participants.hearingChairOfficerIds.includes(id)) {
    return new LegalReviewError('REVIEWER_CONFLICT', '主持本案听证的人员不得审核本案', 'refused', {
      article: ARTICLES.art64,
      details: { role: 'hearing-chair' },
    });
  }
  return null;
}

export function assertEligibleReviewer(candidate: ReviewerCandidate, agencyId: string, participants: CaseParticipants): void {
  const refusal = ineligibility(candidate, agencyId, participants);
  if (refusal) throw refusal;
}

/**
 * Balanced assignment: the eligible reviewer with the fewest open reviews, the lower id on a tie (so that the
 * choice is the same on every replica). Null when nobody is eligible.
 */
export function chooseReviewer(
  candidates: readonly ReviewerCandidate[],
  agencyId: string,
  participants: CaseParticipants,
  openReviews: ReadonlyMap<string, number>,
): ReviewerCandidate | null {
  let best: ReviewerCandidate | null = null;
  let bestLoad = Infinity;
  for (const candidate of candidates) {
    if (ineligibility(candidate, agencyId, participants)) continue;
    const load = openReviews.get(candidate.officerId) ?? 0;
    if (load < bestLoad || (load === bestLoad && best !== null && candidate.officerId < best.officerId)) {
      best = candidate;
      bestLoad = load;
    }
  }
  return best;
}
