import { canonicalJson } from './canonical-json';

/** The first implementation, which every stored hash and seal was computed with: the text must never change. */
function firstCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(firstCanonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${firstCanonicalJson(item)}`).join(',')}}`;
}

describe('canonicalJson', () => {
  const sparse: unknown[] = [1];
  sparse[3] = 'x';

  it.each<[string, unknown]>([
    ['text with quotes, escapes and Chinese', '现场"检查"\\n\u2028'],
    ['numbers, non-finite ones included', [0, -0, 1.5e-7, 2 ** 53, NaN, Infinity]],
    ['booleans and null', [true, false, null]],
    ['nested objects with keys out of order', { b: { z: 1, a: [{ y: 2, x: 1 }] }, a: 'first', B: 'upper', 中: 'wide', '': 'empty' }],
    ['undefined properties (left out) and array slots (written empty)', { kept: 1, dropped: undefined, list: [undefined, 2] }],
    ['a sparse array', sparse],
    ['empty containers', { object: {}, array: [] }],
    ['keys that sort by UTF-16 code units', { '\uD83D\uDE00': 1, '\uFF5E': 2, a10: 3, a9: 4 }],
  ])('writes %s as it always has', (_what, value) => {
    expect(canonicalJson(value)).toBe(firstCanonicalJson(value));
  });
});
