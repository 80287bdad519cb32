import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { checkedBody, PartBodyCheck } from './part-body';

async function drain(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe(PartBodyCheck.name, () => {
  const data = Buffer.from('0123456789');

  it('passes a part of the expected size and digest through unchanged', async () => {
    const out = await drain(Readable.from([data.subarray(0, 4), data.subarray(4)]).pipe(new PartBodyCheck(1, 10, sha256(data))));
    expect(out.equals(data)).toBe(true);
  });

  it('refuses a part that runs past its size as soon as it does', async () => {
    await expect(drain(Readable.from([data, data]).pipe(new PartBodyCheck(2, 10)))).rejects.toMatchObject({
      code: 'PART_SIZE_MISMATCH',
      details: { partNumber: 2, expectedSize: 10 },
    });
  });

  it('refuses a short part at its end', async () => {
    await expect(drain(Readable.from([data.subarray(0, 9)]).pipe(new PartBodyCheck(1, 10)))).rejects.toMatchObject({
      code: 'PART_SIZE_MISMATCH',
      details: { receivedSize: 9 },
    });
  });

  it('refuses a part whose bytes do not match the digest the client sent', async () => {
    await expect(drain(Readable.from([Buffer.from('0123456780')]).pipe(new PartBodyCheck(3, 10, sha256(data))))).rejects.toMatchObject({
      code: 'PART_DIGEST_MISMATCH',
    });
  });

  it('keeps reading the request after a refusal, so the client can be answered', async () => {
    const body = new PassThrough();
    const checked = checkedBody(body, new PartBodyCheck(1, 4));
    const outcome = drain(checked).catch((error: unknown) => error);
    body.write(data);
    expect(await outcome).toMatchObject({ code: 'PART_SIZE_MISMATCH' });
    body.end(data);
    await new Promise((resolve) => body.once('end', resolve));
    expect(body.readableEnded).toBe(true);
  });
});
