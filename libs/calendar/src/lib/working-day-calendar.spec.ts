import { OFFICIAL_CALENDAR_YEARS } from './official-calendar-years';
import { WorkingDayCalendar } from './working-day-calendar';

/** An instant given as Shanghai wall-clock time. */
const shanghai = (local: string) => new Date(`${local}+08:00`);

describe(WorkingDayCalendar.name, () => {
  const sut = new WorkingDayCalendar(OFFICIAL_CALENDAR_YEARS);

  describe('isWorkingDay', () => {
    it.each([
      ['2025-01-01', false, '元旦 on a Wednesday'],
      ['2025-01-26', true, 'a Sunday made a working day before 春节 (调休)'],
      ['2025-01-28', false, '除夕, first day of 春节'],
      ['2025-02-04', false, 'last day of 春节'],
      ['2025-02-05', true, 'the Wednesday after 春节'],
      ['2025-02-08', true, 'a Saturday made a working day after 春节'],
      ['2025-02-09', false, 'an ordinary Sunday'],
      ['2025-04-07', true, 'the Monday after 清明节'],
      ['2025-04-27', true, 'a Sunday made a working day before 劳动节'],
      ['2025-05-05', false, 'last day of 劳动节, a Monday'],
      ['2025-06-02', false, '端午节 Monday'],
      ['2025-09-28', true, 'a Sunday made a working day before 国庆节'],
      ['2025-10-06', false, '中秋节 inside 国庆节'],
      ['2025-10-08', false, 'last day of 国庆节、中秋节, a Wednesday'],
      ['2025-10-11', true, 'a Saturday made a working day after 国庆节'],
      ['2025-10-13', true, 'an ordinary Monday'],
      ['2026-01-02', false, '元旦 2026, a Friday'],
      ['2026-01-04', true, 'a Sunday made a working day after 元旦 2026'],
      ['2026-02-14', true, 'a Saturday made a working day before 春节 2026'],
      ['2026-02-23', false, '正月初七 2026, a Monday'],
      ['2026-02-28', true, 'a Saturday made a working day after 春节 2026'],
      ['2026-05-09', true, 'a Saturday made a working day after 劳动节 2026'],
      ['2026-09-20', true, 'a Sunday made a working day before 国庆节 2026'],
      ['2026-09-25', false, '中秋节 2026, a Friday'],
      ['2026-10-07', false, 'last day of 国庆节 2026, a Wednesday'],
      ['2026-10-10', true, 'a Saturday made a working day after 国庆节 2026'],
    ])('%s is a working day: %s (%s)', (day, working) => {
      expect(sut.isWorkingDay(day)).toBe(working);
      expect(sut.coverageOf(day)).toBe('official');
    });
  });

  describe('addWorkingDays', () => {
    it('lands 7 working days after 2025-09-26 past the National Day holiday, counting 9/28 and 10/11 as working', () => {
      // 9/28 (Sun, 调休), 9/29, 9/30, [10/1–10/8 off], 10/9, 10/10, 10/11 (Sat, 调休), 10/13.
      const result = sut.addWorkingDays(shanghai('2025-09-26T15:30:00'), 7);

      expect(result).toEqual({ lastDay: '2025-10-13', dueAt: shanghai('2025-10-14T00:00:00'), coverage: 'official' });
    });

    it('does not count the day the period starts on, however early in it', () => {
      expect(sut.addWorkingDays(shanghai('2025-03-03T00:00:00'), 1).lastDay).toBe('2025-03-04');
      expect(sut.addWorkingDays(shanghai('2025-03-03T23:59:59.999'), 1).lastDay).toBe('2025-03-04');
    });

    it('reads the starting day in Shanghai, not in UTC', () => {
      // 2025-03-07T16:30Z is Saturday 00:30 in Shanghai: the next working day is Monday.
      expect(sut.addWorkingDays(new Date('2025-03-07T16:30:00Z'), 1).lastDay).toBe('2025-03-10');
      // 2025-03-06T16:00Z is Friday 00:00 in Shanghai, so the period counts from Friday; one millisecond
      // earlier it is still Thursday in Shanghai, and the next working day is Friday.
      expect(sut.addWorkingDays(new Date('2025-03-06T16:00:00Z'), 1).lastDay).toBe('2025-03-10');
      expect(sut.addWorkingDays(new Date('2025-03-06T15:59:59.999Z'), 1).lastDay).toBe('2025-03-07');
    });

    it('ends the period at 00:00 +08:00 after its last day, i.e. 16:00 UTC on that day', () => {
      const result = sut.addWorkingDays(shanghai('2025-03-03T10:00:00'), 5);

      expect(result.lastDay).toBe('2025-03-10');
      expect(result.dueAt.toISOString()).toBe('2025-03-10T16:00:00.000Z');
    });

    it('skips the Spring Festival and counts the Saturday made a working day', () => {
      // Notice on Friday 2025-01-24: 1/26 (Sun, 调休), 1/27, [1/28–2/4 off], 2/5, 2/6, 2/7, 2/8 (Sat, 调休), 2/10.
      expect(sut.addWorkingDays(shanghai('2025-01-24T09:00:00'), 5).lastDay).toBe('2025-02-07');
      expect(sut.addWorkingDays(shanghai('2025-01-24T09:00:00'), 6).lastDay).toBe('2025-02-08');
      expect(sut.addWorkingDays(shanghai('2025-01-24T09:00:00'), 7).lastDay).toBe('2025-02-10');
    });

    it('crosses from 2025 into 2026 over 元旦 and the Sunday after it', () => {
      // 12/30, 12/31, [1/1–1/3 off], 1/4 (Sun, 调休), 1/5, 1/6.
      expect(sut.addWorkingDays(shanghai('2025-12-29T11:00:00'), 5)).toMatchObject({ lastDay: '2026-01-06', coverage: 'official' });
    });

    it('gives the end of the starting day for 0 working days', () => {
      expect(sut.addWorkingDays(shanghai('2025-10-03T12:00:00'), 0)).toEqual({
        lastDay: '2025-10-03',
        dueAt: shanghai('2025-10-04T00:00:00'),
        coverage: 'official',
      });
    });

    it('flags a period reaching into a year without data as weekdays-only, counting Monday to Friday there', () => {
      // 2026-12-30 (Wed): 12/31, then 2027 without data: 1/1 (Fri) counts as a weekday, 1/4, 1/5.
      const result = sut.addWorkingDays(shanghai('2026-12-30T10:00:00'), 4);

      expect(result).toEqual({ lastDay: '2027-01-05', dueAt: shanghai('2027-01-06T00:00:00'), coverage: 'weekdays-only' });
    });

    it('flags a period wholly in a year without data', () => {
      const result = sut.addWorkingDays(shanghai('2024-09-27T10:00:00'), 7);

      // 2024 is not loaded: its real National Day holiday is ignored, and the result says so.
      expect(result).toEqual({ lastDay: '2024-10-08', dueAt: shanghai('2024-10-09T00:00:00'), coverage: 'weekdays-only' });
      expect(sut.coverageOf('2024-10-01')).toBe('weekdays-only');
      expect(sut.isWorkingDay('2024-10-01')).toBe(true);
    });

    it.each([-1, 1.5, Number.NaN, 100_000])('refuses %s days', (n) => {
      expect(() => sut.addWorkingDays(shanghai('2025-03-03T10:00:00'), n)).toThrow(RangeError);
    });

    it('refuses an invalid instant', () => {
      expect(() => sut.addWorkingDays(new Date('nope'), 1)).toThrow(RangeError);
    });
  });

  describe('addCalendarDays', () => {
    it('counts 90 calendar days over holidays alike (Art. 60), from the day after the start', () => {
      const result = sut.addCalendarDays(shanghai('2025-01-10T09:00:00'), 90);

      expect(result).toEqual({ lastDay: '2025-04-10', dueAt: shanghai('2025-04-11T00:00:00'), coverage: 'official' });
    });

    it('reads the starting day in Shanghai', () => {
      // 2025-02-28T16:00Z is 1 March in Shanghai.
      expect(sut.addCalendarDays(new Date('2025-02-28T16:00:00Z'), 15).lastDay).toBe('2025-03-16');
      expect(sut.addCalendarDays(new Date('2025-02-28T15:59:59Z'), 15).lastDay).toBe('2025-03-15');
    });

    it('needs no data and so is official even in a year without data', () => {
      expect(sut.addCalendarDays(shanghai('2030-06-01T10:00:00'), 15).coverage).toBe('official');
    });
  });

  describe('addCalendarDaysToWorkingDay (民法典 Art. 203)', () => {
    it('ends on the nominal last day when it is a working day', () => {
      expect(sut.addCalendarDaysToWorkingDay(shanghai('2025-01-10T09:00:00'), 90)).toEqual({
        lastDay: '2025-04-10',
        dueAt: shanghai('2025-04-11T00:00:00'),
        coverage: 'official',
      });
    });

    it('moves a last day in the National Day holiday to the next working day, a 调休 Saturday included', () => {
      // 15 days after 2025-09-16 is 10/1; 10/1–10/8 are holidays and Saturday 10/11 is a working day, but 10/9 comes first.
      expect(sut.addCalendarDaysToWorkingDay(shanghai('2025-09-16T10:00:00'), 15)).toEqual({
        lastDay: '2025-10-09',
        dueAt: shanghai('2025-10-10T00:00:00'),
        coverage: 'official',
      });
    });

    it('moves a last day on a weekend rest day to the Monday', () => {
      // 15 days after Friday 2025-03-07 is Saturday 3/22.
      expect(sut.addCalendarDaysToWorkingDay(shanghai('2025-03-07T10:00:00'), 15).lastDay).toBe('2025-03-24');
    });

    it('is weekdays-only when the days it looked at are in a year without data', () => {
      expect(sut.addCalendarDaysToWorkingDay(shanghai('2030-06-01T10:00:00'), 15).coverage).toBe('weekdays-only');
    });
  });

  describe('workingDaysBetween', () => {
    it('is the inverse of addWorkingDays', () => {
      const from = shanghai('2025-09-26T15:30:00');
      for (const n of [0, 1, 3, 7, 20]) {
        const end = sut.addWorkingDays(from, n);
        expect(sut.workingDaysBetween(from, shanghai(`${end.lastDay}T12:00:00`))).toEqual({ days: n, coverage: 'official' });
      }
    });

    it('counts the working days of the National Day week 2025 and is negative backwards', () => {
      const from = shanghai('2025-09-27T08:00:00');
      const to = shanghai('2025-10-12T08:00:00');

      // 9/28, 9/29, 9/30, 10/9, 10/10, 10/11.
      expect(sut.workingDaysBetween(from, to)).toEqual({ days: 6, coverage: 'official' });
      expect(sut.workingDaysBetween(to, from)).toEqual({ days: -6, coverage: 'official' });
      expect(sut.workingDaysBetween(from, from)).toEqual({ days: 0, coverage: 'official' });
    });

    it('flags a span touching a year without data', () => {
      expect(sut.workingDaysBetween(shanghai('2024-12-30T10:00:00'), shanghai('2025-01-03T10:00:00'))).toEqual({
        days: 3,
        coverage: 'weekdays-only',
      });
    });
  });

  describe('construction', () => {
    it('knows the loaded years', () => {
      expect(sut.years).toEqual([2025, 2026]);
      expect(new WorkingDayCalendar().years).toEqual([]);
    });

    it('refuses a year twice or invalid data', () => {
      expect(() => new WorkingDayCalendar([OFFICIAL_CALENDAR_YEARS[0], OFFICIAL_CALENDAR_YEARS[0]])).toThrow('given twice');
      expect(() => new WorkingDayCalendar([{ ...OFFICIAL_CALENDAR_YEARS[0], workingWeekendDays: ['2025-03-03'] }])).toThrow(
        'not a Saturday or Sunday',
      );
    });

    it('is weekdays-only everywhere without data', () => {
      const empty = new WorkingDayCalendar();

      expect(empty.isWorkingDay('2025-10-01')).toBe(true);
      expect(empty.addWorkingDays(shanghai('2025-09-26T10:00:00'), 7)).toMatchObject({ lastDay: '2025-10-07', coverage: 'weekdays-only' });
    });
  });
});
