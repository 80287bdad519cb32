import { createHash, randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import {
  AWS_CHUNK_SIZE,
  awsChunkedLength,
  awsChunkedTrailer,
  frame,
  uploadPartStreaming,
  type StreamingPartEndpoint,
} from './streaming-part-upload';

const MiB = 1024 * 1024;

/** Decodes an aws-chunked body with a trailer, checking the framing as a server would. */
function decode(wire: Buffer): { payload: Buffer; chunkSizes: number[]; trailer: string } {
  const chunks: Buffer[] = [];
  const chunkSizes: number[] = [];
  let at = 0;
  for (;;) {
    const eol = wire.indexOf('\r\n', at);
    const length = parseInt(wire.subarray(at, eol).toString(), 16);
    at = eol + 2;
    if (length === 0) break;
    chunkSizes.push(length);
    chunks.push(wire.subarray(at, at + length));
    at += length;
    expect(wire.subarray(at, at + 2).toString()).toBe('\r\n');
    at += 2;
  }
  return { payload: Buffer.concat(chunks), chunkSizes, trailer: wire.subarray(at).toString() };
}

describe('aws-chunked framing', () => {
  it.each([0, 1, 8191, AWS_CHUNK_SIZE - 1, AWS_CHUNK_SIZE, AWS_CHUNK_SIZE + 1, 5 * MiB + 3])(
    'frames %i bytes, however they arrive, into fixed chunks of exactly the announced length',
    (size) => {
      const data = randomBytes(size);
      const digest = createHash('sha256').update(data).digest();
      const pieces: Array<Buffer | string> = [];
      // Uneven arrival: 1 byte, then ever larger slices.
      for (let offset = 0, step = 1; offset < size; offset += step, step = step * 3 + 7) {
        pieces.push(...frame(data.subarray(offset, offset + step), offset, size));
      }
      const wire = Buffer.concat([...pieces, awsChunkedTrailer(digest)].map((piece) => Buffer.from(piece)));

      const decoded = decode(wire);

      expect(wire.length).toBe(awsChunkedLength(size));
      expect(decoded.payload.equals(data)).toBe(true);
      expect(decoded.chunkSizes.slice(0, -1).every((length) => length === AWS_CHUNK_SIZE)).toBe(true);
      expect(decoded.trailer).toBe(`x-amz-checksum-sha256:${digest.toString('base64')}\r\n\r\n`);
    },
  );
});

describe(uploadPartStreaming.name, () => {
  let server: http.Server;
  let endpoint: StreamingPartEndpoint;
  let handler: (request: http.IncomingMessage, response: http.ServerResponse) => void;

  beforeAll(async () => {
    server = http.createServer((request, response) => handler(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = {
      host: '127.0.0.1',
      port: (server.address() as AddressInfo).port,
      useSSL: false,
      pathStyle: true,
      credentials: { accessKey: 'AKIDEXAMPLE', secretKey: 'secret', region: 'us-east-1' },
      agent: new http.Agent({ keepAlive: true }),
    };
  });

  afterAll(async () => {
    endpoint.agent.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const part = (body: Readable, size: number) => ({ bucket: 'b', key: 'k/1', uploadId: 'u+1', partNumber: 3, body, size });

  it('sends a signed aws-chunked request with the SHA-256 trailer and returns the ETag', async () => {
    const data = randomBytes(300_000);
    let seen: { url?: string; headers: http.IncomingHttpHeaders; body: Buffer } | undefined;
    handler = (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seen = { url: request.url, headers: request.headers, body: Buffer.concat(chunks) };
        response.setHeader('ETag', '"abc"');
        response.end();
      });
    };

    const result = await uploadPartStreaming(endpoint, part(Readable.from([data.subarray(0, 1000), data.subarray(1000)]), data.length));

    const sha256 = createHash('sha256').update(data).digest();
    expect(result).toEqual({ etag: 'abc', sha256: sha256.toString('hex') });
    expect(seen?.url).toBe('/b/k/1?partNumber=3&uploadId=u%2B1');
    expect(seen?.headers).toMatchObject({
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': String(data.length),
      'x-amz-trailer': 'x-amz-checksum-sha256',
      'content-length': String(awsChunkedLength(data.length)),
      authorization: expect.stringMatching(
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/s3\/aws4_request, SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-sdk-checksum-algorithm;x-amz-trailer, Signature=[0-9a-f]{64}$/,
      ),
    });
    expect(decode(seen?.body ?? Buffer.alloc(0)).payload.equals(data)).toBe(true);
  });

  it('stops sending and reports the answer of a server that refuses the part early', async () => {
    handler = (_request, response) => {
      // Answers at once, while the body is still coming.
      response.statusCode = 403;
      response.end('<Error><Code>AccessDenied</Code><Message>no</Message></Error>');
    };
    let produced = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      const chunk = Buffer.alloc(MiB);
      for (;;) {
        produced += chunk.length;
        yield chunk;
      }
    }

    await expect(uploadPartStreaming(endpoint, part(Readable.from(endless(), { objectMode: false }), 1024 * MiB))).rejects.toMatchObject({
      code: 'AccessDenied',
    });
    // Backpressure: it did not read the caller's body ahead of what the socket took.
    expect(produced).toBeLessThan(64 * MiB);
  });
});
