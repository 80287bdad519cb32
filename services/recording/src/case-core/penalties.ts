import type { PenaltyKind } from '@enforcement/contracts';
import type { PartyKind } from './case.types';

// The kinds are the platform's one vocabulary (libs/contracts), the one events carry.
export { PENALTY_KINDS, type PenaltyKind } from '@enforcement/contracts';

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

/** Art. 51: on the spot only a warning, or fines of at most 200 CNY (citizen) / 3,000 CNY (organisation) in all. */
export const SIMPLIFIED_FINE_LIMIT_FEN: Record<PartyKind, number> = { 'natural-person': 20_000, organisation: 300_000 };

/** Penalties whose amount is money: a fine, or confiscated unlawful gains (a confiscation of things may name none). */
const MONEY_KINDS: ReadonlySet<PenaltyKind> = new Set(['fine']);

function isAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** The penalty without a usable amount where one is needed (Art. 59: a fine states its amount), if any. */
export function penaltyWithoutAmount(penalties: readonly Penalty[]): Penalty | undefined {
  return penalties.find(
    (penalty) =>
      (MONEY_KINDS.has(penalty.kind) && !isAmount(penalty.amountFen)) || (penalty.amountFen !== undefined && !isAmount(penalty.amountFen)),
  );
}

/**
 * Fines and confiscated sums added up over the whole list: a case has one party, and splitting one fine into several
 * small ones must not slip under a threshold (Art. 51, 63).
 */
export function totalsOf(penalties: readonly Penalty[]): { fineFen: number; confiscationFen: number } {
  let fineFen = 0;
  let confiscationFen = 0;
  for (const penalty of penalties) {
    const amount = isAmount(penalty.amountFen) ? penalty.amountFen : 0;
    if (penalty.kind === 'fine') fineFen += amount;
    if (penalty.kind === 'confiscation') confiscationFen += amount;
  }
  return { fineFen, confiscationFen };
}

/** Art. 51: a warning, or fines (each with its amount) whose sum stays within the on-the-spot limit. */
export function simplifiedAllowed(penalties: readonly Penalty[], party: PartyKind): boolean {
  if (!penalties.every((penalty) => penalty.kind === 'warning' || (penalty.kind === 'fine' && isAmount(penalty.amountFen)))) return false;
  return totalsOf(penalties).fineFen <= SIMPLIFIED_FINE_LIMIT_FEN[party];
}

/**
 * Art. 63: the heavy penalties always open a hearing, whatever the amount: lowering a qualification, suspending
 * (暂扣) or revoking a licence, suspending production or business, closure, restricting practice.
 */
const ALWAYS_HEARING: ReadonlySet<PenaltyKind> = new Set([
  'qualification-lowering',
  'licence-suspension',
  'licence-revocation',
  'production-suspension',
  'business-closure',
  'practice-restriction',
]);

/** Art. 63: the heavy penalties for which the party may ask for a hearing; fines and confiscations summed. */
export function hearingAvailable(penalties: readonly Penalty[], party: PartyKind, thresholds = DEFAULT_THRESHOLDS): boolean {
  const totals = totalsOf(penalties);
  return (
    penalties.some((penalty) => ALWAYS_HEARING.has(penalty.kind)) ||
    (totals.fineFen > 0 && totals.fineFen >= thresholds.largeFineFen[party]) ||
    (totals.confiscationFen > 0 && totals.confiscationFen >= thresholds.largeConfiscationFen[party])
  );
}

/** How much heavier `decided` is than `notified`, if at all (Art. 44, 45): a kind not notified, or a larger sum. */
export function heavierThan(decided: readonly Penalty[], notified: readonly Penalty[]): 'other-kind' | 'larger-amount' | undefined {
  const kinds = new Set(notified.map((penalty) => penalty.kind));
  if (decided.some((penalty) => !kinds.has(penalty.kind))) return 'other-kind';
  const [a, b] = [totalsOf(decided), totalsOf(notified)];
  if (a.fineFen > b.fineFen || a.confiscationFen > b.confiscationFen) return 'larger-amount';
  return undefined;
}
