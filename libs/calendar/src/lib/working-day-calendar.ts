import { calendarYearProblems, type CalendarYear } from './calendar-year';
import { addDays, chinaDayOf, endOfChinaDay, isWeekend, yearOf } from './china-day';

/**
 * Whether a result rests on a loaded holiday arrangement ('official') or, for some day it looked at, on the
 * Monday-to-Friday fallback of a year nobody loaded ('weekdays-only'). A weekdays-only deadline may be wrong
 * by the holidays of that year, so it is flagged wherever it is shown, and recomputed once the year is loaded.
 */
export type CalendarCoverage = 'official' | 'weekdays-only';

/** The end of a period: `dueAt` is 00:00 in Shanghai after `lastDay`, the first instant past the deadline. */
export interface PeriodEnd {
  dueAt: Date;
  /** The last day of the period (Shanghai). */
  lastDay: string;
  coverage: CalendarCoverage;
}

export interface WorkingDayCount {
  days: number;
  coverage: CalendarCoverage;
}

/** Far beyond any statutory period; a bigger count is a bug, not a deadline. */
const MAX_PERIOD_DAYS = 3660;

/**
 * China's working days (Administrative Penalty Law Art. 85: the 2, 3, 5 and 7 day periods of the law are
 * working days, statutory holidays excluded). A day is a working day when it is a weekday that is not a
 * holiday, or a weekend day made a working day (调休). Years without data fall back to Monday to Friday and
 * say so through `coverage`.
 *
 * Periods follow the usual rule of Chinese procedure: the day on which the period starts is not counted, and a
 * period ends with the end (24:00, Shanghai) of its last day.
 */
export class WorkingDayCalendar {
  private readonly holidays = new Set<string>();
  private readonly workingWeekendDays = new Set<string>();
  private readonly loadedYears = new Set<number>();

  /** Throws on a year whose data would not pass the administrator's validation. */
  constructor(years: Iterable<CalendarYear> = []) {
    for (const year of years) {
      const problems = calendarYearProblems(year);
      if (problems.length > 0) {
        throw new RangeError(`calendar year ${year.year} is invalid: ${problems.flatMap((p) => p.problems).join('; ')}`);
      }
      if (this.loadedYears.has(year.year)) throw new RangeError(`calendar year ${year.year} is given twice`);
      this.loadedYears.add(year.year);
      year.holidays.forEach((day) => this.holidays.add(day));
      year.workingWeekendDays.forEach((day) => this.workingWeekendDays.add(day));
    }
  }

  /** The years with an official arrangement, ascending. */
  get years(): number[] {
    return [...this.loadedYears].sort((a, b) => a - b);
  }

  coverageOf(day: string): CalendarCoverage {
    return this.loadedYears.has(yearOf(day)) ? 'official' : 'weekdays-only';
  }

  isWorkingDay(day: string): boolean {
    if (this.holidays.has(day)) return false;
    if (this.workingWeekendDays.has(day)) return true;
    return !isWeekend(day);
  }

  /** The end of the `n`-th working day after the day of `from` (n = 0: the end of that day itself). */
  addWorkingDays(from: Date, n: number): PeriodEnd {
    assertCount(n);
    let day = chinaDayOf(from);
    let coverage: CalendarCoverage = 'official';
    for (let counted = 0; counted < n;) {
      day = addDays(day, 1);
      if (this.coverageOf(day) === 'weekdays-only') coverage = 'weekdays-only';
      if (this.isWorkingDay(day)) counted++;
    }
    return { dueAt: endOfChinaDay(day), lastDay: day, coverage };
  }

  /**
   * The end of the `n`-th calendar day after the day of `from`. Calendar days need no holiday data, so the
   * result is always 'official'.
   */
  addCalendarDays(from: Date, n: number): PeriodEnd {
    assertCount(n);
    const lastDay = addDays(chinaDayOf(from), n);
    return { dueAt: endOfChinaDay(lastDay), lastDay, coverage: 'official' };
  }

  /**
   * A period of `n` calendar days (the law's longer periods: 15, 60, 90 days) that may not end on a rest day: the
   * end of the `n`-th calendar day after the day of `from`, or, when that day is a statutory holiday or a weekend
   * rest day, the end of the next working day (民法典 Art. 203: 期间的最后一日是法定休假日的，以法定休假日结束的
   * 次日为期间的最后一日). Rest days are read from the calendar, so the result is 'weekdays-only' when a day it
   * looked at falls in a year without data.
   */
  addCalendarDaysToWorkingDay(from: Date, n: number): PeriodEnd {
    const { lastDay: nominal } = this.addCalendarDays(from, n);
    let day = nominal;
    let coverage: CalendarCoverage = this.coverageOf(day);
    while (!this.isWorkingDay(day)) {
      day = addDays(day, 1);
      if (this.coverageOf(day) === 'weekdays-only') coverage = 'weekdays-only';
    }
    return { dueAt: endOfChinaDay(day), lastDay: day, coverage };
  }

  /**
   * Working days after the day of `from` up to and including the day of `to`, so that
   * `workingDaysBetween(from, addWorkingDays(from, n).lastDay)` is n; negative when `to` is the earlier.
   */
  workingDaysBetween(from: Date, to: Date): WorkingDayCount {
    const first = chinaDayOf(from);
    const last = chinaDayOf(to);
    const [low, high, sign] = first <= last ? [first, last, 1] : [last, first, -1];
    let days = 0;
    let coverage: CalendarCoverage = 'official';
    for (let day = addDays(low, 1); day <= high; day = addDays(day, 1)) {
      if (this.coverageOf(day) === 'weekdays-only') coverage = 'weekdays-only';
      if (this.isWorkingDay(day)) days++;
    }
    return { days: days === 0 ? 0 : sign * days, coverage };
  }
}

function assertCount(n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > MAX_PERIOD_DAYS) {
    throw new RangeError(`a period is a whole number of days from 0 to ${MAX_PERIOD_DAYS}, not ${n}`);
  }
}
