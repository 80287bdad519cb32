import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { readPart } from './part-body';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe(readPart.name, () => {
  const data = Buffer.from('0123456789');

  it('reads a part of the expected size and digest', async () => {
    const part = await readPart(Readable.from([data.subarray(0, 4), data.subarray(4)]), 1, 10, sha256(data));
    expect(part.bytes.equals(data)).toBe(true);
    expect(part.sha256).toBe(sha256(data));
  });

  it('hashes a part the client sent no digest for', async () => {
    const part = await readPart(Readable.from([data.subarray(0, 3), data.subarray(3, 7), data.subarray(7)]), 1, 10);
    expect(part.sha256).toBe(sha256(data));
  });

  it('refuses a part that runs past its size as soon as it does', async () => {
    await expect(readPart(Readable.from([data, data]), 2, 10)).rejects.toMatchObject({
      code: 'PART_SIZE_MISMATCH',
      details: { partNumber: 2, expectedSize: 10 },
    });
  });

  it('refuses a short part at its end', async () => {
    await expect(readPart(Readable.from([data.subarray(0, 9)]), 1, 10)).rejects.toMatchObject({
      code: 'PART_SIZE_MISMATCH',
      details: { receivedSize: 9 },
    });
  });

  it('refuses a part whose bytes do not match the digest the client sent', async () => {
    await expect(readPart(Readable.from([Buffer.from('0123456780')]), 3, 10, sha256(data))).rejects.toMatchObject({
      code: 'PART_DIGEST_MISMATCH',
      details: { actualSha256: sha256(Buffer.from('0123456780')) },
    });
  });

  it('keeps reading the request after a refusal, so the client can be answered', async () => {
    const body = new PassThrough();
    const outcome = readPart(body, 1, 4).catch((error: unknown) => error);
    body.write(data);
    expect(await outcome).toMatchObject({ code: 'PART_SIZE_MISMATCH' });
    body.end(data);
    await new Promise((resolve) => body.once('end', resolve));
    expect(body.readableEnded).toBe(true);
  });

  it('refuses a body of strings', async () => {
    await expect(readPart(Readable.from(['0123456789'], { objectMode: true }), 1, 10)).rejects.toThrow(TypeError);
  });
});
