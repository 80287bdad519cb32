import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { FixityMismatchError, segmentsFor, verifyingStream, type DigestSegment } from './fixity-stream';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The bytes in chunks of `size`, as a store would stream them. */
function chunked(bytes: Buffer, size: number): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return Readable.from(chunks);
}

/** What a client receives: the bytes, and how the stream ended. */
async function drain(stream: Readable): Promise<{ received: Buffer; error: Error | undefined }> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return { received: Buffer.concat(chunks), error: undefined };
  } catch (error) {
    return { received: Buffer.concat(chunks), error: error as Error };
  }
}

describe('verifyingStream', () => {
  const original = randomBytes(10_000);
  const whole: DigestSegment[] = [{ start: 0, end: original.length - 1, sha256: sha256(original) }];
  const serveAll = { start: 0, end: original.length - 1 };

  it('passes an intact object through unchanged and raises nothing', async () => {
    const onMismatch = jest.fn();
    const { received, error } = await drain(
      verifyingStream(chunked(original, 777), { offset: 0, segments: whole, serve: serveAll }, onMismatch),
    );
    expect(error).toBeUndefined();
    expect(received.equals(original)).toBe(true);
    expect(onMismatch).not.toHaveBeenCalled();
  });

  it('never delivers the whole of a changed object: the last chunk is held back and the stream fails', async () => {
    const tampered = Buffer.from(original);
    tampered[tampered.length - 1] ^= 0x01;
    const onMismatch = jest.fn();

    const { received, error } = await drain(
      verifyingStream(chunked(tampered, 1000), { offset: 0, segments: whole, serve: serveAll }, onMismatch),
    );

    expect(error).toBeInstanceOf(FixityMismatchError);
    expect(received.length).toBeLessThan(original.length);
    expect(onMismatch).toHaveBeenCalledTimes(1);
    expect(onMismatch.mock.calls[0][0]).toMatchObject({ actualSha256: sha256(tampered), segment: whole[0] });
  });

  it('fails without the alarm when the store ends early, and drops what a store sends past the end', async () => {
    const onMismatch = jest.fn();
    const short = await drain(
      verifyingStream(chunked(original.subarray(0, 9000), 1000), { offset: 0, segments: whole, serve: serveAll }, onMismatch),
    );
    expect(short.error?.message).toMatch(/ended the stream at byte 9000/);
    expect(onMismatch).not.toHaveBeenCalled();

    const long = await drain(
      verifyingStream(
        chunked(Buffer.concat([original, randomBytes(500)]), 1000),
        { offset: 0, segments: whole, serve: serveAll },
        onMismatch,
      ),
    );
    expect(long.error).toBeUndefined();
    expect(long.received.equals(original)).toBe(true);
  });

  describe('a range, verified against the parts it touches', () => {
    const partSize = 3000;
    const parts = [0, 1, 2, 3].map((n) => original.subarray(n * partSize, (n + 1) * partSize));
    const partDigests = parts.map((bytes) => ({ sizeBytes: bytes.length, sha256: sha256(bytes) }));

    it('reads whole parts but serves only the range', async () => {
      const range = { start: 3500, end: 6100 };
      const segments = segmentsFor(original.length, sha256(original), range, partDigests) ?? [];
      expect(segments.map(({ start, end }) => [start, end])).toEqual([
        [3000, 5999],
        [6000, 8999],
      ]);
      const source = chunked(original.subarray(3000, 9000), 512);

      const { received, error } = await drain(verifyingStream(source, { offset: 3000, segments, serve: range }, jest.fn()));

      expect(error).toBeUndefined();
      expect(received.equals(original.subarray(3500, 6101))).toBe(true);
    });

    it('fails when a byte outside the served range but inside a touched part was changed', async () => {
      const range = { start: 3500, end: 3600 };
      const segments = segmentsFor(original.length, sha256(original), range, partDigests) ?? [];
      const read = Buffer.from(original.subarray(3000, 6000));
      read[2900] ^= 0xff; // byte 5900 of the object: not served, but in the part that is
      const onMismatch = jest.fn();

      const { error } = await drain(verifyingStream(chunked(read, 1000), { offset: 3000, segments, serve: range }, onMismatch));

      expect(error).toBeInstanceOf(FixityMismatchError);
      expect(onMismatch).toHaveBeenCalledWith(expect.objectContaining({ segment: segments[0] }));
    });

    it('cannot verify a range without the parts (or with parts that do not add up): the caller serves the whole object', () => {
      expect(segmentsFor(original.length, sha256(original), { start: 0, end: 10 }, [])).toBeUndefined();
      expect(segmentsFor(original.length, sha256(original), { start: 0, end: 10 }, partDigests.slice(1))).toBeUndefined();
      expect(segmentsFor(original.length, 'ab', undefined, [])).toEqual([{ start: 0, end: original.length - 1, sha256: 'ab' }]);
    });
  });

  it('stops reading the source when the client goes away', async () => {
    const source = chunked(original, 100);
    const stream = verifyingStream(source, { offset: 0, segments: whole, serve: serveAll }, jest.fn());
    stream.once('data', () => stream.destroy());
    await new Promise((resolve) => stream.once('close', resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.destroyed).toBe(true);
  });
});
