/** Inclusive byte offsets within an object, as in Content-Range. */
export interface ResolvedRange {
  start: number;
  end: number;
}

/**
 * What a Range header asks of an object of `size` bytes (RFC 9110 §14): `undefined` for the whole object
 * (no header), a range to serve with 206, or 'unsatisfiable' (416). One range only: players ask for one, and
 * multipart/byteranges would multiply the work for nobody. A header in another unit is ignored, as the RFC
 * allows; a malformed bytes range is refused rather than guessed at.
 */
export function resolveRangeHeader(header: string | undefined, size: number): ResolvedRange | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  if (!/^bytes=/i.test(trimmed)) return undefined;
  const spec = trimmed.slice('bytes='.length).trim();
  const match = /^(\d*)-(\d*)$/.exec(spec);
  if (!match || (match[1] === '' && match[2] === '')) return 'unsatisfiable';
  const [, first, last] = match;
  if (first === '') {
    // Suffix range: the last N bytes.
    const length = Number(last);
    if (!Number.isSafeInteger(length) || length === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Number(last);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start || start >= size) return 'unsatisfiable';
  return { start, end: Math.min(end, size - 1) };
}

export function contentRange(range: ResolvedRange, size: number): string {
  return `bytes ${range.start}-${range.end}/${size}`;
}
