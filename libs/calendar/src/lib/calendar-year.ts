import { addDays, isValidDay, isWeekend, yearOf } from './china-day';

/**
 * One year of China's holiday arrangement as the State Council General Office publishes it each autumn
 * (国务院办公厅关于某年部分节假日安排的通知): every day off of the holiday periods, and the weekend days that
 * become working days to make up for them (调休).
 */
export interface CalendarYear {
  year: number;
  /** Days off of the holiday periods, weekend days inside a period included. */
  holidays: readonly string[];
  /** Saturdays and Sundays that are working days (调休上班). */
  workingWeekendDays: readonly string[];
}

/** One field at fault, in the shape of the platform's VALIDATION_FAILED details. */
export interface CalendarYearProblem {
  field: 'year' | 'holidays' | 'workingWeekendDays';
  problems: string[];
}

export const MIN_CALENDAR_YEAR = 2000;
export const MAX_CALENDAR_YEAR = 2099;

/**
 * Bounds of a plausible arrangement. Since 2008 the statutory holidays number at least 11 days (13 from 2025,
 * 全国年节及纪念日放假办法 as revised in 2024), and with the weekends they absorb the periods come to about 30
 * days; the made-up working days are a handful. Anything far outside is a typing or file error.
 */
const MIN_HOLIDAYS = 11;
const MAX_HOLIDAYS = 60;
const MAX_WORKING_WEEKEND_DAYS = 15;
/** A made-up working day borders its holiday period: in every notice so far it lies within 10 days of one. */
const MAX_DAYS_FROM_HOLIDAY = 14;

export function isCalendarYearNumber(year: number): boolean {
  return Number.isInteger(year) && year >= MIN_CALENDAR_YEAR && year <= MAX_CALENDAR_YEAR;
}

/** What is wrong with a year's data; empty when it may be loaded. */
export function calendarYearProblems(data: CalendarYear): CalendarYearProblem[] {
  const found: CalendarYearProblem[] = [];
  const report = (field: CalendarYearProblem['field'], problem: string) => {
    const entry = found.find((existing) => existing.field === field);
    if (entry) entry.problems.push(problem);
    else found.push({ field, problems: [problem] });
  };
  if (!isCalendarYearNumber(data.year)) {
    report('year', `year must be an integer from ${MIN_CALENDAR_YEAR} to ${MAX_CALENDAR_YEAR}`);
    return found;
  }
  const checkDays = (field: 'holidays' | 'workingWeekendDays', days: readonly string[]) => {
    const seen = new Set<string>();
    for (const day of days) {
      if (!isValidDay(day)) report(field, `${day} is not a calendar day (YYYY-MM-DD)`);
      else if (yearOf(day) !== data.year) report(field, `${day} is not in ${data.year}`);
      if (seen.has(day)) report(field, `${day} is listed twice`);
      seen.add(day);
    }
    return seen;
  };
  const holidays = checkDays('holidays', data.holidays);
  const workingWeekendDays = checkDays('workingWeekendDays', data.workingWeekendDays);

  for (const day of workingWeekendDays) {
    if (holidays.has(day)) report('workingWeekendDays', `${day} is both a holiday and a working day`);
  }
  if (holidays.size < MIN_HOLIDAYS || holidays.size > MAX_HOLIDAYS) {
    report('holidays', `a year has from ${MIN_HOLIDAYS} to ${MAX_HOLIDAYS} days off in its holiday periods, not ${holidays.size}`);
  }
  // New Year's Day (元旦) is always a statutory holiday; a year without it is the wrong year's file.
  if (!holidays.has(`${data.year}-01-01`)) report('holidays', `${data.year}-01-01 (元旦) must be a holiday`);
  if (workingWeekendDays.size > MAX_WORKING_WEEKEND_DAYS) {
    report('workingWeekendDays', `at most ${MAX_WORKING_WEEKEND_DAYS} made-up working days, not ${workingWeekendDays.size}`);
  }
  const validHolidays = [...holidays].filter(isValidDay);
  for (const day of workingWeekendDays) {
    if (!isValidDay(day) || holidays.has(day)) continue;
    // A weekday is a working day anyway: listing it means the list is of something else.
    if (!isWeekend(day)) report('workingWeekendDays', `${day} is not a Saturday or Sunday`);
    else if (!validHolidays.some((holiday) => Math.abs(daysBetween(day, holiday)) <= MAX_DAYS_FROM_HOLIDAY)) {
      report('workingWeekendDays', `${day} is not within ${MAX_DAYS_FROM_HOLIDAY} days of any holiday`);
    }
  }
  return found;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The year's days sorted and without repeats, as stored. */
export function normalizedCalendarYear(data: CalendarYear): CalendarYear {
  const sorted = (days: readonly string[]) => [...new Set(days)].sort();
  return { year: data.year, holidays: sorted(data.holidays), workingWeekendDays: sorted(data.workingWeekendDays) };
}

/** Every day from `first` to `last`, both included: holiday periods are published as ranges. */
export function dayRange(first: string, last: string): string[] {
  const days: string[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) days.push(day);
  return days;
}
