/**
 * A proposed decision (拟作出的行政处罚决定) as the legal-review rules read it: what recording's DecisionProposed
 * carries, in the service's own vocabulary (this service never imports recording's code).
 */

import type { PenaltyKind } from '@enforcement/contracts';

// The kinds are the platform's one vocabulary (libs/contracts), the one DecisionProposed carries.
export { isPenaltyKind, PENALTY_KINDS, type PenaltyKind } from '@enforcement/contracts';

export const PARTY_KINDS = ['natural-person', 'organisation'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

/** Flags the case-handling unit sets on its proposal (Art. 58 para. 1 items 1 and 3). */
export const PROPOSAL_FLAGS = ['major-public-interest', 'complex', 'several-legal-relationships'] as const;
export type ProposalFlag = (typeof PROPOSAL_FLAGS)[number];

export interface ProposedPenalty {
  kind: PenaltyKind | string;
  /** Fines and confiscated sums in fen (分). */
  amountFen: number;
}

export interface Proposal {
  domain: string;
  partyKind: PartyKind;
  penalties: readonly ProposedPenalty[];
  /** A hearing (听证) was held in the case (Art. 58 para. 1 item 2). */
  hearingHeld: boolean;
  flags: readonly ProposalFlag[];
  /** Other conditions the unit declares, named as the agency's catalog names them (e.g. a law that names the case). */
  conditions: readonly string[];
}

/** The sum of the amounts of one kind of penalty (fines, confiscations), in fen. */
export function totalFen(penalties: readonly ProposedPenalty[], kind: PenaltyKind): number {
  return penalties.filter((p) => p.kind === kind).reduce((sum, p) => sum + (p.amountFen > 0 ? p.amountFen : 0), 0);
}

/** Amounts in a message: 12345 fen → "123.45元". */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.round(fen));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}元`;
}
