import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { EvidenceErrors } from './evidence.errors';

export interface ReceivedPart {
  bytes: Buffer;
  /** Hex SHA-256 of the bytes, computed as they arrived. */
  sha256: string;
}

/**
 * Reads one part of a request body into a buffer of exactly the size the part must have, and refuses it
 * before any storage sees it: as soon as more bytes arrive than the part may have, at the end when fewer
 * arrived, or, if the client sent the part's SHA-256, when the bytes do not match it. A refused part thus
 * never replaces an earlier good attempt of the same number.
 *
 * The part is hashed chunk by chunk while the network delivers the rest, so the digest storage needs is
 * ready when the last byte is; storage does not hash the part again.
 *
 * One allocation of the part's size and no concatenation: memory per part in flight is the part itself
 * (at most the storage's maximum part size), and no garbage of the same size is left for every part.
 * After a refusal the rest of the body is read and dropped, so the client still gets the answer instead of
 * a reset connection.
 */
export async function readPart(
  body: Readable,
  partNumber: number,
  expectedSize: number,
  expectedSha256?: string,
): Promise<ReceivedPart> {
  const bytes = Buffer.allocUnsafe(expectedSize);
  const hash = createHash('sha256');
  let received = 0;
  let overflow = false;
  for await (const raw of body.iterator({ destroyOnReturn: false })) {
    const chunk = asBytes(raw);
    if (received + chunk.length > expectedSize) {
      overflow = true;
      break;
    }
    chunk.copy(bytes, received);
    hash.update(chunk);
    received += chunk.length;
  }
  if (overflow) {
    body.resume();
    throw EvidenceErrors.partSizeMismatch(partNumber, expectedSize);
  }
  if (received !== expectedSize) throw EvidenceErrors.partSizeMismatch(partNumber, expectedSize, received);
  const sha256 = hash.digest('hex');
  if (expectedSha256 !== undefined && sha256 !== expectedSha256) {
    throw EvidenceErrors.partDigestMismatch(partNumber, expectedSha256, sha256);
  }
  return { bytes, sha256 };
}

/** Bodies are bytes; a stream with an encoding set would hand out re-encoded strings, so it is refused. */
function asBytes(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError(`a part body must yield bytes, got ${typeof chunk}`);
}
