import type { Readable } from 'node:stream';
import type { DiscretionEvaluation } from '../review-core/discretion-benchmark';
import type { ProposalSnapshot } from '../review-core/proposal-snapshot';
import type { ItemFinding, ReviewOutcome } from '../review-core/review';

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
  reviewerName: string;
  discretion: DiscretionEvaluation | null;
  concludedAt: Date;
}

export interface StoredOpinion {
  objectKey: string;
  sha256: string;
}

/** Renders and stores the written opinion of a concluded round, and reads it back. */
export interface OpinionRenderer {
  render(input: OpinionInput): Promise<StoredOpinion>;
  read(objectKey: string): Promise<Readable>;
}

export const OPINION_RENDERER = Symbol('OPINION_RENDERER');
