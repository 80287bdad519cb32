import type { CatalogEvaluation } from './catalog';
import type { DiscretionBand, DiscretionEvaluation } from './discretion-benchmark';
import type { PartyKind, ProposalFlag } from './proposal';

/** A proposal as the case-handling unit submitted it (DecisionProposed), kept with the review round. */
export interface ProposalSnapshot {
  caseId: string;
  caseNumber: string;
  agencyId: string;
  domain: string;
  regionCode: string;
  partyKind: PartyKind;
  /** The case's chain head once the proposal was recorded. */
  chainHead: string;
  proposalDigest: string;
  penalties: Array<{ kind: string; amountFen: number; description: string }>;
  facts: string;
  legalBasis: string;
  handlingOfficerIds: string[];
  actingOfficerIds: string[];
  hearingChairOfficerIds: string[];
  hearingHeld: boolean;
  evidence: Array<{ evidenceId: string; sha256: string; mediaType: string }>;
  /** The case's record up to the proposal, in chain order; the last hash is `chainHead`. */
  records: Array<{ sequence: number; stepType: string; occurredAt: string; actingOfficerIds: string[]; hash: string }>;
  discretion: { violationCode: string; band: DiscretionBand; illegalGainsFen: number; outOfBandReason: string } | null;
  flags: ProposalFlag[];
  conditions: string[];
  /** Recording's own rules asked for review (a heavy penalty, the officer's flag, a hearing). */
  recordingRequiresReview: boolean;
  proposedAt: string;
  proposedBy: string;
}

/** What the rules computed on the snapshot: the catalog's matches, the discretion band check. */
export interface RoundEvaluation {
  catalog: CatalogEvaluation;
  discretion: DiscretionEvaluation | null;
  /** The proposal named a violation the agency's benchmark does not list. */
  benchmarkMissing: boolean;
}
