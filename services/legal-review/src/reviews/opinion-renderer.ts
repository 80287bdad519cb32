import type { ItemFinding, ReviewOutcome } from '../review-core/review';
import type { ProposalSnapshot } from './proposal-snapshot';

/** What the written opinion (法制审核意见书) states. */
export interface OpinionInput {
  reviewId: string;
  round: number;
  caseNumber: string;
  agencyId: string;
  snapshot: ProposalSnapshot;
  outcome: ReviewOutcome;
  items: readonly ItemFinding[];
  opinion: string;
  reviewerOfficerId: string;
  concludedAt: Date;
}

export interface StoredOpinion {
  objectKey: string;
  sha256: string;
}

/** Renders and stores the opinion; null where the service keeps no document (the conclusion still stands). */
export interface OpinionRenderer {
  render(input: OpinionInput): Promise<StoredOpinion | null>;
}

export const OPINION_RENDERER = Symbol('OPINION_RENDERER');

/** No document: the conclusion and its items are the record. */
export const NO_OPINION_DOCUMENT: OpinionRenderer = { render: async () => null };
