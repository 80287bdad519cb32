/**
 * Certificates are valid for whole days as printed on them, in China Standard Time (UTC+8, no daylight
 * saving). These helpers turn a printed day into the instants that bound it.
 */
const DAY_MS = 24 * 3600 * 1000;
const CHINA_OFFSET_MS = 8 * 3600 * 1000;

export const ISO_DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function isValidDay(day: string): boolean {
  if (!ISO_DAY.test(day)) return false;
  const date = new Date(`${day}T00:00:00Z`);
  return date.toISOString().slice(0, 10) === day;
}

/** 00:00 in Shanghai on the given day, as an instant. */
export function startOfChinaDay(day: string): Date {
  if (!isValidDay(day)) throw new RangeError(`not a calendar day: ${day}`);
  return new Date(Date.parse(`${day}T00:00:00Z`) - CHINA_OFFSET_MS);
}

/** The first instant after the given day ends in Shanghai (exclusive end of validity). */
export function endOfChinaDay(day: string): Date {
  return new Date(startOfChinaDay(day).getTime() + DAY_MS);
}

/** The Shanghai calendar day an instant falls on. */
export function chinaDayOf(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}
