import type { PartyKind } from './case.types';

export const PENALTY_KINDS = [
  'warning',
  'criticism',
  'fine',
  'confiscation',
  'qualification-lowering',
  'licence-suspension',
  'licence-revocation',
  'production-suspension',
  'business-closure',
  'practice-restriction',
  'detention',
] as const;
export type PenaltyKind = (typeof PENALTY_KINDS)[number];

export interface Penalty {
  kind: PenaltyKind;
  /** Fines and confiscated sums, in fen (分). */
  amountFen?: number;
}

/** Per-agency thresholds: what counts as a "large" fine differs by province and domain (catalog data). */
export interface PenaltyThresholds {
  largeFineFen: Record<PartyKind, number>;
  largeConfiscationFen: Record<PartyKind, number>;
}

/** Common defaults where no catalog data is loaded (e.g. 1 万元 / 10 万元), replaceable per agency. */
export const DEFAULT_THRESHOLDS: PenaltyThresholds = {
  largeFineFen: { 'natural-person': 1_000_000, organisation: 10_000_000 },
  largeConfiscationFen: { 'natural-person': 1_000_000, organisation: 10_000_000 },
};

/** Art. 51: on the spot only a warning, or a fine of at most 200 CNY (citizen) / 3,000 CNY (organisation). */
export const SIMPLIFIED_FINE_LIMIT_FEN: Record<PartyKind, number> = { 'natural-person': 20_000, organisation: 300_000 };

export function simplifiedAllowed(penalties: readonly Penalty[], party: PartyKind): boolean {
  return penalties.every(
    (penalty) => penalty.kind === 'warning' || (penalty.kind === 'fine' && (penalty.amountFen ?? 0) <= SIMPLIFIED_FINE_LIMIT_FEN[party]),
  );
}

const ALWAYS_HEARING: ReadonlySet<PenaltyKind> = new Set([
  'qualification-lowering',
  'licence-revocation',
  'production-suspension',
  'business-closure',
  'practice-restriction',
]);

/** Art. 63: the heavy penalties for which the party may ask for a hearing. */
export function hearingAvailable(penalties: readonly Penalty[], party: PartyKind, thresholds = DEFAULT_THRESHOLDS): boolean {
  return penalties.some(
    (penalty) =>
      ALWAYS_HEARING.has(penalty.kind) ||
      (penalty.kind === 'fine' && (penalty.amountFen ?? 0) >= thresholds.largeFineFen[party]) ||
      (penalty.kind === 'confiscation' && (penalty.amountFen ?? 0) >= thresholds.largeConfiscationFen[party]),
  );
}
