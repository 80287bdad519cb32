import { StorageErrorCode, type StorageError } from './storage.errors';
import {
  assertValidKey,
  bareEtag,
  normalizeMetadata,
  normalizeSha256,
  resolveLimits,
  resolvePartSize,
  resolveRange,
  S3_MIN_PART_SIZE,
  sortPartList,
} from './storage.validation';

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return (error as StorageError).code;
  }
}

describe(assertValidKey.name, () => {
  it.each(['a', 'cases/2024/0001/evidence/3f2a.mp4', "x!_.*'()-y", 'a/' + 'b'.repeat(255)])('accepts %j', (key) => {
    expect(codeOf(() => assertValidKey(key))).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['parent segment', 'a/../b'],
    ['leading slash', '/a'],
    ['dot segment', './a'],
    ['unicode', '案件/1'],
    ['percent', 'a%2e%2e'],
    ['long segment', 'b'.repeat(256)],
    ['long key', ('a'.repeat(200) + '/').repeat(6) + 'a'],
  ])('rejects a key with %s', (_label, key) => {
    expect(codeOf(() => assertValidKey(key))).toBe(StorageErrorCode.InvalidKey);
  });
});

describe(normalizeMetadata.name, () => {
  it('keeps lowercase keys with any string values', () => {
    expect(normalizeMetadata({ 'case-id': 'C-1', title: '执法' })).toEqual({ 'case-id': 'C-1', title: '执法' });
  });

  const invalid: Array<Record<string, string>> = [{ Upper: 'x' }, { under_score: 'x' }, { '-lead': 'x' }, { big: 'x'.repeat(2100) }];

  it.each(invalid)('rejects %j', (metadata) => {
    expect(codeOf(() => normalizeMetadata(metadata))).toBe(StorageErrorCode.InvalidArgument);
  });
});

describe(normalizeSha256.name, () => {
  it('lower-cases a valid digest and rejects anything else', () => {
    expect(normalizeSha256('AB'.repeat(32))).toBe('ab'.repeat(32));
    expect(normalizeSha256(undefined)).toBeUndefined();
    expect(codeOf(() => normalizeSha256('ab'))).toBe(StorageErrorCode.InvalidArgument);
  });
});

describe(resolveRange.name, () => {
  it('clamps the end and defaults it to the last byte', () => {
    expect(resolveRange('k', { start: 2, end: 100 }, 10)).toEqual({ start: 2, end: 9 });
    expect(resolveRange('k', { start: 2 }, 10)).toEqual({ start: 2, end: 9 });
  });

  it('refuses ranges that cannot be satisfied', () => {
    expect(codeOf(() => resolveRange('k', { start: 10 }, 10))).toBe(StorageErrorCode.InvalidRange);
    expect(codeOf(() => resolveRange('k', { start: 0 }, 0))).toBe(StorageErrorCode.InvalidRange);
    expect(codeOf(() => resolveRange('k', { start: 1.5 }, 10))).toBe(StorageErrorCode.InvalidRange);
  });
});

describe(sortPartList.name, () => {
  it('sorts by part number without touching the input', () => {
    const parts = [
      { partNumber: 3, etag: 'c' },
      { partNumber: 1, etag: 'a' },
    ];

    expect(sortPartList(parts).map((part) => part.partNumber)).toEqual([1, 3]);
    expect(parts[0].partNumber).toBe(3);
  });

  it('rejects empty lists, duplicates, missing ETags and impossible numbers', () => {
    expect(codeOf(() => sortPartList([]))).toBe(StorageErrorCode.InvalidPart);
    expect(
      codeOf(() =>
        sortPartList([
          { partNumber: 1, etag: 'a' },
          { partNumber: 1, etag: 'a' },
        ]),
      ),
    ).toBe(StorageErrorCode.InvalidPart);
    expect(codeOf(() => sortPartList([{ partNumber: 1, etag: '' }]))).toBe(StorageErrorCode.InvalidPart);
    expect(codeOf(() => sortPartList([{ partNumber: 0, etag: 'a' }]))).toBe(StorageErrorCode.InvalidArgument);
  });
});

describe(resolvePartSize.name, () => {
  const limits = resolveLimits({}, S3_MIN_PART_SIZE);

  it('defaults to 8 MiB within the limits', () => {
    expect(resolvePartSize(undefined, limits)).toBe(8 * 1024 * 1024);
  });

  it('refuses sizes outside the limits', () => {
    expect(codeOf(() => resolvePartSize(S3_MIN_PART_SIZE - 1, limits))).toBe(StorageErrorCode.InvalidArgument);
    expect(codeOf(() => resolvePartSize(limits.maxPartSize + 1, limits))).toBe(StorageErrorCode.InvalidArgument);
  });

  it('refuses limits below the floor or inverted', () => {
    expect(codeOf(() => resolveLimits({ minPartSize: 1024 }, S3_MIN_PART_SIZE))).toBe(StorageErrorCode.InvalidArgument);
    expect(codeOf(() => resolveLimits({ maxPartSize: 1024 }, 1))).toBe(StorageErrorCode.InvalidArgument);
  });
});

describe(bareEtag.name, () => {
  it.each(['"abc"', '&quot;abc&quot;', '&#34;abc&#34;', 'abc'])('unquotes %s', (etag) => {
    expect(bareEtag(etag)).toBe('abc');
  });
});
