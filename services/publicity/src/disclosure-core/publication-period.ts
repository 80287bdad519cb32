import { chinaDayOf, startOfChinaDay } from '@enforcement/calendar';

/**
 * How long a published decision stays on the portal (the market-regulation rule, per agency as data): a decision
 * that imposes only criticism (通报批评) and/or a small fine stays 3 months, every other 3 years; after that it
 * leaves the portal (its history stays in the service).
 */
export interface PublicationPeriodSettings {
  shortMonths: number;
  longMonths: number;
  /** The largest fine that is "small" (较低数额罚款), in fen, per party kind: each province sets its own. */
  smallFineMaxFen: { 'natural-person': number; organisation: number };
}

export const DEFAULT_PUBLICATION_PERIODS: PublicationPeriodSettings = {
  shortMonths: 3,
  longMonths: 36,
  smallFineMaxFen: { 'natural-person': 1_000_000, organisation: 10_000_000 },
};

export interface PeriodPenalty {
  kind: string;
  amountFen: number;
}

/** Penalty kinds that never lengthen the period by themselves (a warning is not published alone). */
const LIGHT_KINDS = new Set(['warning', 'criticism']);

/** The months a decision stays public. */
export function publicationMonths(
  penalties: readonly PeriodPenalty[],
  partyKind: 'natural-person' | 'organisation',
  settings: PublicationPeriodSettings = DEFAULT_PUBLICATION_PERIODS,
): number {
  const fines = penalties.filter((p) => p.kind === 'fine').reduce((total, p) => total + p.amountFen, 0);
  const onlyLight = penalties.every((p) => LIGHT_KINDS.has(p.kind) || p.kind === 'fine');
  const small = fines <= settings.smallFineMaxFen[partyKind];
  return onlyLight && small ? settings.shortMonths : settings.longMonths;
}

/** Adds calendar months to a Shanghai day; the 31st of a shorter month becomes its last day. */
export function addMonthsToDay(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  const lastDate = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${targetYear}-${pad(targetMonth)}-${pad(Math.min(date, lastDate))}`;
}

/**
 * The first instant the decision is off the portal: 00:00 Shanghai of the same day `months` later (published on
 * 15 March for 3 months: public through 14 June).
 */
export function publicUntil(publishedAt: Date, months: number): Date {
  return startOfChinaDay(addMonthsToDay(chinaDayOf(publishedAt), months));
}
