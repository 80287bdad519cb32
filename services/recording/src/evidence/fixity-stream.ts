import { createHash, type Hash } from 'node:crypto';
import { Readable } from 'node:stream';

/** Inclusive byte offsets of a stretch of the object whose SHA-256 is known. */
export interface DigestSegment {
  start: number;
  end: number;
  sha256: string;
}

/** What was read differs from what was sealed; `segment` is the stretch whose digest did not match. */
export class FixityMismatchError extends Error {
  constructor(
    readonly segment: DigestSegment,
    readonly actualSha256: string,
  ) {
    super(`stored bytes ${segment.start}-${segment.end} have SHA-256 ${actualSha256}, sealed as ${segment.sha256}`);
    this.name = 'FixityMismatchError';
  }
}

export interface VerifyingPlan {
  /** Object offset of the first byte `source` delivers: the start of the first segment. */
  offset: number;
  /** Consecutive segments from `offset` on, each verified as it completes. */
  segments: readonly DigestSegment[];
  /** The bytes passed on (inclusive), within the segments. */
  serve: { start: number; end: number };
}

/**
 * Passes on the served bytes of `source` while hashing every segment it covers, and holds the last chunk back until
 * every segment has matched its digest: a copy that no longer matches never reaches the client complete. On a
 * mismatch `onMismatch` is told once and the stream fails (as it does, without the alarm, when the source ends early), so the HTTP layer cuts
 * the connection short of its Content-Length. Bytes past the last segment (a store that ignored the range) are
 * dropped. Memory: one chunk held back.
 */
export function verifyingStream(source: Readable, plan: VerifyingPlan, onMismatch: (error: FixityMismatchError) => void): Readable {
  return Readable.from(verified(source, plan, onMismatch), { objectMode: false });
}

async function* verified(
  source: Readable,
  plan: VerifyingPlan,
  onMismatch: (error: FixityMismatchError) => void,
): AsyncGenerator<Buffer, void, undefined> {
  const fail = (error: FixityMismatchError): never => {
    onMismatch(error);
    throw error;
  };
  let position = plan.offset;
  let index = 0;
  let hash: Hash = createHash('sha256');
  let held: Buffer | undefined;
  const last = plan.segments[plan.segments.length - 1];
  for await (const chunk of source as AsyncIterable<Buffer>) {
    let rest = chunk;
    while (rest.length > 0 && index < plan.segments.length) {
      const segment = plan.segments[index];
      const piece = rest.subarray(0, Math.min(rest.length, segment.end - position + 1));
      hash.update(piece);
      const served = servedPart(piece, position, plan.serve);
      if (served.length > 0) {
        if (held) yield held;
        held = served;
      }
      position += piece.length;
      rest = rest.subarray(piece.length);
      if (position > segment.end) {
        const actual = hash.digest('hex');
        if (actual !== segment.sha256) fail(new FixityMismatchError(segment, actual));
        index++;
        hash = createHash('sha256');
      }
    }
    // Leaving the loop destroys the source: nothing past the last segment is read.
    if (index === plan.segments.length) break;
  }
  // A short read is the store's or the network's failure, not evidence of a changed original: no alarm.
  if (index < plan.segments.length) throw new Error(`object storage ended the stream at byte ${position} of ${last.end + 1}`);
  if (held) yield held;
}

function servedPart(piece: Buffer, position: number, serve: { start: number; end: number }): Buffer {
  const from = Math.max(serve.start - position, 0);
  const to = Math.min(serve.end - position + 1, piece.length);
  return to > from ? piece.subarray(from, to) : Buffer.alloc(0);
}

/**
 * The segments to read for `range` of an object sealed with `sha256` and assembled from `parts` (in order, each with
 * its digest): the whole object against its digest when no range is asked, else the parts the range touches. Undefined
 * when a range is asked but the parts are not known, so the range cannot be verified.
 */
export function segmentsFor(
  size: number,
  sha256: string,
  range: { start: number; end: number } | undefined,
  parts: readonly { sizeBytes: number; sha256: string }[],
): DigestSegment[] | undefined {
  if (range === undefined) return [{ start: 0, end: size - 1, sha256 }];
  if (parts.length === 0 || parts.reduce((sum, part) => sum + part.sizeBytes, 0) !== size) return undefined;
  const segments: DigestSegment[] = [];
  let start = 0;
  for (const part of parts) {
    const end = start + part.sizeBytes - 1;
    if (end >= range.start && start <= range.end) segments.push({ start, end, sha256: part.sha256 });
    start = end + 1;
  }
  return segments;
}
