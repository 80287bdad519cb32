import { canonicalJson, chainedContentOf, GENESIS_HASH, recordHash } from './hash-chain';

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

  it('writes a record the same way, so its hash stays the hash stored', () => {
    const content = chainedContentOf({
      caseId: 'c65989a3-6109-4224-907d-4cb4ff5eb4ef',
      sequence: 39,
      stepType: 'inspection',
      occurredAt: new Date('2026-12-01T02:29:27.469Z'),
      recordedAt: new Date('2026-12-01T02:29:29.804Z'),
      recordedBy: '3a844aeb-8739-4b76-ae14-736788a51464',
      place: '上海市黄浦区南京东路1号',
      actingOfficerIds: ['3a844aeb-8739-4b76-ae14-736788a51464', '8b409434-b0b8-452b-a99e-083d0f2d9a0c'],
      certificates: [{ officerId: '3a844aeb-8739-4b76-ae14-736788a51464', certificateId: '5f48142e', number: 'SH-BENCH-b' }],
      fields: { findings: { goods: ['台账', '票据'], count: 3 }, note: undefined },
      text: '调取进货台账及销售记录',
      evidence: [{ evidenceId: 'e1', sha256: 'ab'.repeat(32) }],
      correctsRecordId: null,
      previousHash: GENESIS_HASH,
    });
    expect(canonicalJson(content)).toBe(firstCanonicalJson(content));
    expect(recordHash(content)).toMatch(/^[0-9a-f]{64}$/);
  });
});
