import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { InvalidArgumentError, PartTooLargeError } from './storage.errors';

/**
 * Evidence is binary; a stream that yields strings has had an encoding set somewhere and would be
 * corrupted by re-encoding, so it is refused instead of guessed at.
 */
export function asBytes(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new InvalidArgumentError(`object bodies must yield bytes, got ${typeof chunk}`);
}

/**
 * Iterates a caller's stream without destroying it when we stop early: after PART_TOO_LARGE an HTTP
 * handler must still be able to answer 413 on the same connection.
 */
export function iterateWithoutDestroying(body: Readable): AsyncIterable<unknown> {
  return { [Symbol.asyncIterator]: () => body.iterator({ destroyOnReturn: false }) };
}

/**
 * A failure of the caller's body (the client went away, a broken source) on its way through an adapter's
 * error mapping: its errno (ECONNRESET on an aborted request) says nothing about the storage, so the adapter
 * unwraps it and the caller gets the body's own error back.
 */
export class BodyStreamError extends Error {
  constructor(readonly failure: unknown) {
    super('the body stream failed', { cause: failure });
    this.name = 'BodyStreamError';
  }
}

/** Like iterateWithoutDestroying, with the body's own failures wrapped in BodyStreamError. */
export async function* readBody(body: Readable): AsyncGenerator<Buffer, void, undefined> {
  const iterator = body.iterator({ destroyOnReturn: false });
  try {
    for (;;) {
      let next: IteratorResult<unknown>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw new BodyStreamError(error);
      }
      if (next.done) return;
      yield asBytes(next.value);
    }
  } finally {
    await iterator.return?.();
  }
}

/** The caller's body failed: rethrow its own error, past the adapter's mapping of storage errors. */
export async function unwrapBodyFailure<T>(operation: Promise<T>): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    throw error instanceof BodyStreamError ? error.failure : error;
  }
}

export interface BufferedPart {
  data: Buffer;
  sha256: string;
}

/**
 * Reads one part into memory, hashing on the way, and fails as soon as it passes `maxPartSize` so a hostile
 * or broken client cannot make us hold more than one part's worth. A buffer is hashed unless the caller
 * already did (`knownSha256`).
 */
export async function readPartIntoMemory(
  body: Readable | Buffer,
  partNumber: number,
  maxPartSize: number,
  knownSha256?: string,
): Promise<BufferedPart> {
  if (Buffer.isBuffer(body)) {
    if (body.length > maxPartSize) throw new PartTooLargeError(partNumber, maxPartSize);
    return { data: body, sha256: knownSha256 ?? createHash('sha256').update(body).digest('hex') };
  }
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const raw of iterateWithoutDestroying(body)) {
    const chunk = asBytes(raw);
    size += chunk.length;
    if (size > maxPartSize) throw new PartTooLargeError(partNumber, maxPartSize);
    hash.update(chunk);
    chunks.push(chunk);
  }
  return { data: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size), sha256: hash.digest('hex') };
}

/**
 * Cuts a stream into parts of exactly `partSize` bytes (the last may be shorter, or empty for an empty
 * stream) in ONE reused buffer, so memory stays at one part however long the stream is. Each yielded
 * buffer is only valid until the consumer asks for the next one; `onBytes` sees every byte once, in order.
 */
export async function* fixedSizeParts(
  body: Readable,
  partSize: number,
  onBytes: (chunk: Buffer) => void,
): AsyncGenerator<Buffer, void, undefined> {
  const buffer = Buffer.allocUnsafe(partSize);
  let filled = 0;
  let yieldedAny = false;
  for await (const raw of body) {
    const chunk = asBytes(raw);
    onBytes(chunk);
    let offset = 0;
    while (offset < chunk.length) {
      const copied = chunk.copy(buffer, filled, offset);
      filled += copied;
      offset += copied;
      if (filled === partSize) {
        yield buffer;
        yieldedAny = true;
        filled = 0;
      }
    }
  }
  if (filled > 0 || !yieldedAny) yield buffer.subarray(0, filled);
}

export async function sha256OfStream(stream: Readable): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const raw of stream) {
    const chunk = asBytes(raw);
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}
