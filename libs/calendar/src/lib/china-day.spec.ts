import { chinaDayOf, endOfChinaDay, isValidDay, startOfChinaDay } from './china-day';

describe('China calendar days', () => {
  it('starts a day at 16:00 UTC the day before and ends it 24 hours later', () => {
    expect(startOfChinaDay('2027-01-01').toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(endOfChinaDay('2026-12-31').toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });

  it('tells the Shanghai day of an instant around midnight', () => {
    expect(chinaDayOf(new Date('2026-12-31T15:59:59.999Z'))).toBe('2026-12-31');
    expect(chinaDayOf(new Date('2026-12-31T16:00:00.000Z'))).toBe('2027-01-01');
  });

  it('accepts only real calendar days', () => {
    expect(isValidDay('2028-02-29')).toBe(true);
    expect(isValidDay('2027-02-29')).toBe(false);
    expect(isValidDay('2027-13-01')).toBe(false);
    expect(isValidDay('27-01-01')).toBe(false);
    expect(() => startOfChinaDay('2027-02-30')).toThrow(RangeError);
  });
});
