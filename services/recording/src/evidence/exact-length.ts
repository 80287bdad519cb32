import { Readable } from 'node:stream';

/**
 * Forwards exactly `length` bytes of `source`: the HTTP response promised that many in Content-Length, and
 * a store that sent more (a server or proxy that ignores the Range header answers with the whole object)
 * would corrupt the framing. A source that ends short fails the stream, so the client sees a broken
 * transfer rather than a short file.
 */
export function exactLength(source: Readable, length: number): Readable {
  let remaining = length;
  const limited = new Readable({
    read() {
      source.resume();
    },
    destroy(error, callback) {
      source.destroy();
      callback(error);
    },
  });
  source.on('data', (chunk: Buffer) => {
    if (remaining === 0) return;
    const piece = chunk.length <= remaining ? chunk : chunk.subarray(0, remaining);
    remaining -= piece.length;
    const wantsMore = limited.push(piece);
    if (remaining === 0) {
      limited.push(null);
      source.destroy();
    } else if (!wantsMore) {
      source.pause();
    }
  });
  source.once('end', () => {
    if (remaining > 0) limited.destroy(new Error(`object storage ended the stream ${remaining} bytes early`));
  });
  source.once('error', (error) => limited.destroy(error));
  return limited;
}
