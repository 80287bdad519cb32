import { endOfChinaDay, OFFICIAL_CALENDAR_YEARS, WorkingDayCalendar } from '@enforcement/calendar';
import { extendDueAt, isOverdue, reviewDueAt } from './review-deadline';

const calendar = new WorkingDayCalendar(OFFICIAL_CALENDAR_YEARS);
/** Noon in Shanghai on `day`. */
const at = (day: string) => new Date(`${day}T12:00:00+08:00`);

describe('review deadline', () => {
  it.each([
    ['an ordinary week', '2026-03-02', 5, '2026-03-09'],
    ['across the Spring Festival, with the 调休 Saturday 14 February counted', '2026-02-12', 5, '2026-02-26'],
    ['across the Mid-Autumn holiday', '2026-09-22', 5, '2026-09-30'],
    ['the 调休 Sunday 20 September counts', '2026-09-18', 5, '2026-09-24'],
    ['an agency with 3 working days, from a Friday', '2026-03-06', 3, '2026-03-11'],
  ])('%s: submitted %s, %d working days, last day %s', (_case, day, days, lastDay) => {
    const sut = reviewDueAt(calendar, at(day), days);
    expect(sut.lastDay).toBe(lastDay);
    expect(sut.dueAt).toEqual(endOfChinaDay(lastDay));
    expect(sut.coverage).toBe('official');
  });

  it('extends from the last day with a reason, over the National Day holiday', () => {
    const due = reviewDueAt(calendar, at('2026-09-24'), 5); // Fri 25 - Sun 27 off: 28, 29, 30, then 8, 9 October
    expect(due.lastDay).toBe('2026-10-09');
    const extended = extendDueAt(calendar, due.dueAt, 2, '案情复杂，需补充鉴定意见');
    expect(extended.lastDay).toBe('2026-10-12'); // Sat 10 October is a 调休 working day
    expect(() => extendDueAt(calendar, due.dueAt, 2, ' ')).toThrow(expect.objectContaining({ code: 'EXTENSION_REASON_REQUIRED' }));
    expect(() => extendDueAt(calendar, due.dueAt, 0, '理由')).toThrow(expect.objectContaining({ code: 'EXTENSION_INVALID' }));
  });

  it('is overdue from 00:00 Shanghai after the last day', () => {
    const due = reviewDueAt(calendar, at('2026-03-02'), 5).dueAt;
    expect(isOverdue(due, new Date(due.getTime() - 1))).toBe(false);
    expect(isOverdue(due, due)).toBe(true);
  });
});
