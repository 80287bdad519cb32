import { contentRange, resolveRangeHeader } from './http-range';

describe(resolveRangeHeader.name, () => {
  it.each([
    ['bytes=0-99', { start: 0, end: 99 }],
    ['bytes=100-', { start: 100, end: 999 }],
    ['bytes=-100', { start: 900, end: 999 }],
    ['bytes=-5000', { start: 0, end: 999 }],
    ['bytes=990-5000', { start: 990, end: 999 }],
    [' BYTES=5-5 ', { start: 5, end: 5 }],
  ])('resolves %s', (header, expected) => {
    expect(resolveRangeHeader(header, 1000)).toEqual(expected);
  });

  it.each(['bytes=1000-', 'bytes=5-4', 'bytes=-0', 'bytes=-', 'bytes=a-b', 'bytes=0-1,5-9', 'bytes=99999999999999999999-'])(
    'refuses %s as unsatisfiable',
    (header) => {
      expect(resolveRangeHeader(header, 1000)).toBe('unsatisfiable');
    },
  );

  it('serves the whole object without a header or for another unit', () => {
    expect(resolveRangeHeader(undefined, 1000)).toBeUndefined();
    expect(resolveRangeHeader('items=0-1', 1000)).toBeUndefined();
  });

  it('formats Content-Range', () => {
    expect(contentRange({ start: 0, end: 99 }, 1000)).toBe('bytes 0-99/1000');
  });
});
