import { endOfChinaDay, OFFICIAL_CALENDAR_YEARS, WorkingDayCalendar } from '@enforcement/calendar';
import { isPublicationOverdue, publicationDueAt } from './publication-deadline';

const calendar = new WorkingDayCalendar(OFFICIAL_CALENDAR_YEARS);
/** Noon in Shanghai on `day`. */
const at = (day: string) => new Date(`${day}T12:00:00+08:00`);

describe('publication deadline', () => {
  it.each([
    ['a penalty in an ordinary fortnight', '2026-03-02', 'penalty', '2026-03-11'],
    ['a licence from a Friday', '2026-03-06', 'licence', '2026-03-17'],
    ['another decision: 20 working days', '2026-03-02', 'other', '2026-03-30'],
    ['a penalty across Mid-Autumn and National Day, the 调休 Saturday 10 October counted', '2026-09-24', 'penalty', '2026-10-12'],
    ['a penalty across the Spring Festival, the 调休 Saturdays 14 and 28 February counted', '2026-02-12', 'penalty', '2026-02-28'],
  ] as const)('%s: decided %s (%s), last day %s', (_case, day, category, lastDay) => {
    const sut = publicationDueAt(calendar, at(day), category);
    expect(sut.lastDay).toBe(lastDay);
    expect(sut.dueAt).toEqual(endOfChinaDay(lastDay));
    expect(sut.coverage).toBe('official');
  });

  it('a decision late at night Shanghai time counts from its Shanghai day, not its UTC day', () => {
    // 23:30 on Monday 2 March in Shanghai is still Monday there (15:30 UTC).
    expect(publicationDueAt(calendar, new Date('2026-03-02T23:30:00+08:00'), 'penalty').lastDay).toBe('2026-03-11');
    // 00:30 on Tuesday 3 March in Shanghai is Monday in UTC: Tuesday counts.
    expect(publicationDueAt(calendar, new Date('2026-03-03T00:30:00+08:00'), 'penalty').lastDay).toBe('2026-03-12');
  });

  it('says so when a year has no holiday data', () => {
    expect(publicationDueAt(calendar, at('2031-03-03'), 'penalty').coverage).toBe('weekdays-only');
  });

  it('is overdue from 00:00 Shanghai after the last day, unless published before', () => {
    const due = publicationDueAt(calendar, at('2026-03-02'), 'penalty').dueAt;
    expect(isPublicationOverdue(due, new Date(due.getTime() - 1))).toBe(false);
    expect(isPublicationOverdue(due, due)).toBe(true);
    expect(isPublicationOverdue(due, new Date(due.getTime() + 86_400_000), new Date(due.getTime() - 1))).toBe(false);
  });
});
