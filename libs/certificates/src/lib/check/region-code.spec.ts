import { coveragePrefix, regionCovers } from './region-code';

describe('region codes', () => {
  it.each([
    ['110000', '11'],
    ['440300', '4403'],
    ['440305', '440305'],
  ])('%s covers what starts with %s', (code, prefix) => {
    expect(coveragePrefix(code)).toBe(prefix);
  });

  it.each(['', '3101', '3101011', 'abcdef'])('refuses %j as a division code', (code) => {
    expect(() => coveragePrefix(code)).toThrow(RangeError);
  });

  it('covers nothing that is not a six-digit code', () => {
    expect(regionCovers('310000', '31')).toBe(false);
    expect(regionCovers('310000', '310101001')).toBe(false);
  });
});
