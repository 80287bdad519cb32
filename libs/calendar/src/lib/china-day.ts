/**
 * Statutory periods and certificate validity run over whole days in China Standard Time (UTC+8, no daylight
 * saving since 1991). A day is written 'YYYY-MM-DD'; these helpers turn it into the instants that bound it
 * and step from day to day.
 */
const DAY_MS = 24 * 3600 * 1000;
const CHINA_OFFSET_MS = 8 * 3600 * 1000;

export const ISO_DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Whether `day` is a real calendar day written 'YYYY-MM-DD' (so '2025-02-29' is not). */
export function isValidDay(day: string): boolean {
  if (!ISO_DAY.test(day)) return false;
  return new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day;
}

function assertDay(day: string): void {
  if (!isValidDay(day)) throw new RangeError(`not a calendar day: '${day}'`);
}

/** 00:00 in Shanghai on the given day, as an instant. */
export function startOfChinaDay(day: string): Date {
  assertDay(day);
  return new Date(Date.parse(`${day}T00:00:00Z`) - CHINA_OFFSET_MS);
}

/** The first instant after the given day ends in Shanghai: the exclusive end of a period ending that day. */
export function endOfChinaDay(day: string): Date {
  return new Date(startOfChinaDay(day).getTime() + DAY_MS);
}

/** The Shanghai calendar day an instant (a Date or epoch milliseconds) falls on. */
export function chinaDayOf(instant: Date | number): string {
  const time = typeof instant === 'number' ? instant : instant.getTime();
  if (Number.isNaN(time)) throw new RangeError('not a valid instant');
  return new Date(time + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The day `count` days after `day` (before, when negative). */
export function addDays(day: string, count: number): string {
  assertDay(day);
  return new Date(Date.parse(`${day}T00:00:00Z`) + count * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday, as the day is in China. */
export function weekdayOf(day: string): number {
  assertDay(day);
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

export function isWeekend(day: string): boolean {
  const weekday = weekdayOf(day);
  return weekday === 0 || weekday === 6;
}

export function yearOf(day: string): number {
  assertDay(day);
  return Number(day.slice(0, 4));
}
