import { calendarYearProblems, dayRange, normalizedCalendarYear, type CalendarYear } from './calendar-year';
import { OFFICIAL_CALENDAR_YEARS } from './official-calendar-years';

describe('calendarYearProblems', () => {
  const y2025: CalendarYear = OFFICIAL_CALENDAR_YEARS[0];
  const problemsOf = (data: Partial<CalendarYear>) => calendarYearProblems({ ...y2025, ...data });

  it.each(OFFICIAL_CALENDAR_YEARS.map((year) => [year.year, year] as const))('accepts the shipped %s arrangement', (_year, data) => {
    expect(calendarYearProblems(data)).toEqual([]);
  });

  it('has the shipped days in the numbers the notices give', () => {
    // 2025: 1 + 8 + 3 + 5 + 3 + 8; 2026: 3 + 9 + 3 + 5 + 3 + 3 + 7.
    expect(OFFICIAL_CALENDAR_YEARS.map((year) => [year.holidays.length, year.workingWeekendDays.length])).toEqual([
      [28, 5],
      [33, 6],
    ]);
  });

  it.each([1999, 2100, 2025.5])('refuses year %s', (year) => {
    expect(problemsOf({ year })).toEqual([{ field: 'year', problems: [expect.stringContaining('integer from 2000 to 2099')] }]);
  });

  it('refuses days outside the year, malformed or repeated', () => {
    expect(problemsOf({ holidays: [...y2025.holidays, '2026-01-01', '2025-02-30', '2025-10-01'] })).toEqual([
      {
        field: 'holidays',
        problems: ['2026-01-01 is not in 2025', '2025-02-30 is not a calendar day (YYYY-MM-DD)', '2025-10-01 is listed twice'],
      },
    ]);
  });

  it('refuses a day that is both a holiday and a working day', () => {
    expect(problemsOf({ workingWeekendDays: ['2025-02-01'] })).toEqual([
      { field: 'workingWeekendDays', problems: ['2025-02-01 is both a holiday and a working day'] },
    ]);
  });

  it('refuses a made-up working day that is a weekday, or far from any holiday', () => {
    expect(problemsOf({ workingWeekendDays: ['2025-09-29', '2025-08-16'] })).toEqual([
      {
        field: 'workingWeekendDays',
        problems: ['2025-09-29 is not a Saturday or Sunday', '2025-08-16 is not within 14 days of any holiday'],
      },
    ]);
  });

  it('refuses an implausible number of holidays, or a year without 元旦', () => {
    expect(problemsOf({ holidays: ['2025-01-01'] })[0].problems).toEqual([
      'a year has from 11 to 60 days off in its holiday periods, not 1',
    ]);
    expect(problemsOf({ holidays: dayRange('2025-01-01', '2025-03-31'), workingWeekendDays: [] })[0].problems).toEqual([
      'a year has from 11 to 60 days off in its holiday periods, not 90',
    ]);
    expect(problemsOf({ holidays: y2025.holidays.filter((day) => day !== '2025-01-01') })[0].problems).toEqual([
      '2025-01-01 (元旦) must be a holiday',
    ]);
  });

  it('refuses too many made-up working days', () => {
    const weekends = dayRange('2025-01-04', '2025-05-31').filter((day) => [0, 6].includes(new Date(day).getUTCDay()));
    expect(problemsOf({ workingWeekendDays: weekends })[0].problems).toContain(`at most 15 made-up working days, not ${weekends.length}`);
  });

  it('normalises by sorting and removing repeats', () => {
    expect(normalizedCalendarYear({ year: 2025, holidays: ['2025-05-01', '2025-01-01', '2025-05-01'], workingWeekendDays: [] })).toEqual({
      year: 2025,
      holidays: ['2025-01-01', '2025-05-01'],
      workingWeekendDays: [],
    });
  });
});
