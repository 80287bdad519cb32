import { chinaDayOf } from '@enforcement/calendar';

/** Art. 72 para. 1 (1): a fine not paid in time draws 3% of the fine a day (每日按罚款数额的百分之三加处罚款). */
export const LATE_FEE_PERCENT_PER_DAY = 3n;

export const LATE_FEE_ARTICLE = '《行政处罚法》第七十二条';

const DAY_MS = 24 * 3600 * 1000;

export interface LateFee {
  /** The fine the fee is counted on, in fen (a decimal string: amounts may pass the safe integer range). */
  fineFen: string;
  /** Days after the payment period's last day, up to `asOf` (the day of payment, or today). */
  daysLate: number;
  /** 3% of the fine a day, never more than the fine itself (Art. 72). */
  lateFeeFen: string;
  /** Whether the cap (the fine itself) was reached. */
  capped: boolean;
  /** The instant the fee is counted to: when the fine was paid, or now while it is not. */
  asOf: string;
  article: string;
}

/**
 * The late fee (加处罚款) on `fineFen` for a payment period whose last day is `lastDay` (Shanghai), counted to
 * `until`: each day after the last day, the day of `until` included, adds 3% of the fine, and the fee never
 * exceeds the fine (Art. 72: 加处罚款的数额不得超出罚款的数额). Amounts are rounded down to the fen.
 */
export function lateFeeOf(fineFen: bigint, lastDay: string, until: Date): LateFee {
  const untilDay = chinaDayOf(until);
  const daysLate = Math.max(0, Math.round((Date.parse(`${untilDay}T00:00:00Z`) - Date.parse(`${lastDay}T00:00:00Z`)) / DAY_MS));
  const uncapped = (fineFen * LATE_FEE_PERCENT_PER_DAY * BigInt(daysLate)) / 100n;
  const capped = uncapped >= fineFen && fineFen > 0n;
  return {
    fineFen: fineFen.toString(),
    daysLate,
    lateFeeFen: (capped ? fineFen : uncapped).toString(),
    capped,
    asOf: until.toISOString(),
    article: LATE_FEE_ARTICLE,
  };
}
