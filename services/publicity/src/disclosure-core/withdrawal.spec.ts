import { endOfChinaDay, OFFICIAL_CALENDAR_YEARS, WorkingDayCalendar } from '@enforcement/calendar';
import { publicWithdrawalReason, withdrawalDueAt, type AlterationKind } from './withdrawal';

const calendar = new WorkingDayCalendar(OFFICIAL_CALENDAR_YEARS);
const at = (day: string) => new Date(`${day}T12:00:00+08:00`);

describe('withdrawal (Art. 48)', () => {
  it.each([
    ['a revocation on a Monday', '2026-03-02', '2026-03-05'],
    ['a change on a Friday', '2026-03-06', '2026-03-11'],
    ['over National Day: the 调休 Saturday 10 October is the third working day', '2026-09-30', '2026-10-10'],
  ])('%s (%s) is withdrawn by the end of %s', (_case, day, lastDay) => {
    const sut = withdrawalDueAt(calendar, at(day));
    expect(sut.lastDay).toBe(lastDay);
    expect(sut.dueAt).toEqual(endOfChinaDay(lastDay));
  });

  it.each([
    ['changed', '行政复议决定变更罚款数额', '该行政处罚决定已被变更：行政复议决定变更罚款数额'],
    ['revoked', '', '该行政处罚决定已被撤销。'],
    ['confirmed-illegal', '  ', '该行政处罚决定已被确认违法。'],
    ['confirmed-void', '法院判决确认无效', '该行政处罚决定已被确认无效：法院判决确认无效'],
  ] as const)('the public reason of %s states the kind first', (kind, reason, expected) => {
    expect(publicWithdrawalReason(kind, reason)).toBe(expected);
  });

  it('refuses an unknown kind', () => {
    expect(() => publicWithdrawalReason('annulled' as AlterationKind, 'x')).toThrow(
      expect.objectContaining({ code: 'ALTERATION_KIND_INVALID' }),
    );
  });
});
