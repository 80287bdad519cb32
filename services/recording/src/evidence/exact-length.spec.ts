import { Readable } from 'node:stream';
import { exactLength } from './exact-length';

async function drain(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe(exactLength.name, () => {
  const data = Buffer.from('abcdefghij');

  it('forwards a source of the promised length unchanged', async () => {
    expect((await drain(exactLength(Readable.from([data.subarray(0, 3), data.subarray(3)]), 10))).toString()).toBe('abcdefghij');
  });

  it('cuts a source that sends more and stops reading it', async () => {
    const source = Readable.from([data, data, data]);
    expect((await drain(exactLength(source, 12))).toString()).toBe('abcdefghijab');
    expect(source.destroyed).toBe(true);
  });

  it('fails when the source ends short', async () => {
    await expect(drain(exactLength(Readable.from([data]), 11))).rejects.toThrow(/1 bytes early/);
  });

  it('destroys the source when the reader goes away', async () => {
    const source = new Readable({
      read() {
        // Nothing to give: the reader leaves first.
      },
    });
    const limited = exactLength(source, 100);
    limited.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.destroyed).toBe(true);
  });
});
