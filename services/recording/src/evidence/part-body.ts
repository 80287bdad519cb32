import { createHash, type Hash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { EvidenceErrors } from './evidence.errors';

/**
 * Passes one part's bytes from the request to the storage adapter and refuses the part before the adapter
 * stores it: as soon as more bytes arrive than the part may have, and at the end when fewer arrived or, if
 * the client sent the part's SHA-256, when the bytes do not match it. The adapters store a part only once
 * its body ended cleanly, so a refused part never replaces an earlier good attempt of the same number.
 */
export class PartBodyCheck extends Transform {
  private received = 0;
  private readonly hash: Hash | undefined;

  constructor(
    private readonly partNumber: number,
    private readonly expectedSize: number,
    private readonly expectedSha256?: string,
  ) {
    super();
    this.hash = expectedSha256 === undefined ? undefined : createHash('sha256');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.received += chunk.length;
    if (this.received > this.expectedSize) {
      callback(EvidenceErrors.partSizeMismatch(this.partNumber, this.expectedSize));
      return;
    }
    this.hash?.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.received !== this.expectedSize) {
      callback(EvidenceErrors.partSizeMismatch(this.partNumber, this.expectedSize, this.received));
      return;
    }
    if (this.hash !== undefined && this.expectedSha256 !== undefined) {
      const actual = this.hash.digest('hex');
      if (actual !== this.expectedSha256) {
        callback(EvidenceErrors.partDigestMismatch(this.partNumber, this.expectedSha256, actual));
        return;
      }
    }
    callback();
  }
}

/**
 * Feeds a request body through a check without tying their fates: when the check refuses the part, the rest
 * of the body is read and dropped instead of destroying the socket, so the client still gets the refusal.
 * A body cut short by the client fails the check's stream.
 */
export function checkedBody(body: Readable, check: PartBodyCheck): Readable {
  const onAborted = () => check.destroy(new Error('the client stopped sending the part'));
  body.once('aborted', onAborted);
  body.once('error', (error: Error) => check.destroy(error));
  check.once('error', () => {
    body.unpipe(check);
    body.off('aborted', onAborted);
    body.resume();
  });
  check.once('end', () => body.off('aborted', onAborted));
  body.pipe(check);
  return check;
}
