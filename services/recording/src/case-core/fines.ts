import type { Penalty } from './penalties';

/** The penalties a notice, decision or alteration lists in `fields.penalties` (as case-procedure's penaltiesOf). */
export function penaltiesIn(fields: Readonly<Record<string, unknown>>): Penalty[] {
  return Array.isArray(fields['penalties']) ? (fields['penalties'] as Penalty[]) : [];
}

function amountOf(value: unknown): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return BigInt(value);
  if (typeof value === 'string' && /^\d{1,18}$/.test(value)) return BigInt(value);
  return 0n;
}

/**
 * The fine a decision imposes, in fen: every `fine` among its penalties added up (a decision may impose several
 * penalties, and its fine need not come first); a decision written before penalties were listed may state it as
 * `fineAmountFen`, taken when the penalties name none (Art. 67: the party pays the fine the decision imposes).
 */
export function fineFenOf(fields: Readonly<Record<string, unknown>>): bigint {
  const fromPenalties = penaltiesIn(fields)
    .filter((penalty) => typeof penalty === 'object' && penalty !== null && penalty.kind === 'fine')
    .reduce((sum, penalty) => sum + amountOf(penalty.amountFen), 0n);
  return fromPenalties > 0n ? fromPenalties : amountOf(fields['fineAmountFen']);
}
