import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { StorageErrorCode } from './storage.errors';
import { fixedSizeParts, readPartIntoMemory } from './stream-parts';

function bytes(length: number, offset = 0): Buffer {
  return Buffer.from(Array.from({ length }, (_, index) => (index + offset) % 251));
}

function stream(...chunks: Buffer[]): Readable {
  return Readable.from(chunks, { objectMode: false });
}

describe(fixedSizeParts.name, () => {
  async function collect(body: Readable, partSize: number): Promise<{ parts: Buffer[]; seen: number }> {
    const parts: Buffer[] = [];
    let seen = 0;
    // Copies, because the generator reuses one buffer for every part.
    for await (const part of fixedSizeParts(body, partSize, (chunk) => (seen += chunk.length))) parts.push(Buffer.from(part));
    return { parts, seen };
  }

  it('cuts chunks that straddle part boundaries into exact parts plus a short last part', async () => {
    const data = bytes(25);

    const { parts, seen } = await collect(stream(data.subarray(0, 7), data.subarray(7, 23), data.subarray(23)), 10);

    expect(parts.map((part) => part.length)).toEqual([10, 10, 5]);
    expect(Buffer.concat(parts)).toEqual(data);
    expect(seen).toBe(25);
  });

  it('emits no empty trailing part when the data ends on a boundary', async () => {
    expect((await collect(stream(bytes(20)), 10)).parts.map((part) => part.length)).toEqual([10, 10]);
  });

  it('emits one empty part for an empty stream, so an empty object can still be completed', async () => {
    expect((await collect(stream(), 10)).parts.map((part) => part.length)).toEqual([0]);
  });

  it('refuses a stream of strings rather than re-encoding binary data', async () => {
    await expect(collect(Readable.from(['text']), 10)).rejects.toMatchObject({ code: StorageErrorCode.InvalidArgument });
  });
});

describe(readPartIntoMemory.name, () => {
  it('returns the bytes of a stream with their SHA-256', async () => {
    const data = bytes(1000);

    const part = await readPartIntoMemory(stream(data.subarray(0, 400), data.subarray(400)), 1, 1000);

    expect(part.data).toEqual(data);
    expect(part.sha256).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('hashes a buffer unless the caller already did', async () => {
    const data = bytes(1000);
    const digest = createHash('sha256').update(data).digest('hex');

    expect((await readPartIntoMemory(data, 1, 1000)).sha256).toBe(digest);
    expect((await readPartIntoMemory(data, 1, 1000, 'a'.repeat(64))).sha256).toBe('a'.repeat(64));
  });

  it('stops at the first byte over the limit and leaves the stream alive', async () => {
    const body = stream(bytes(600), bytes(600));

    await expect(readPartIntoMemory(body, 4, 1000)).rejects.toMatchObject({ code: StorageErrorCode.PartTooLarge, partNumber: 4 });
    expect(body.destroyed).toBe(false);
  });

  it('checks buffers against the limit as well', async () => {
    await expect(readPartIntoMemory(bytes(1001), 1, 1000)).rejects.toMatchObject({ code: StorageErrorCode.PartTooLarge });
  });
});
