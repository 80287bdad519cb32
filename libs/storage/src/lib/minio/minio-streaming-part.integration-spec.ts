import { startS3Server, type S3Server } from '@enforcement/testing';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { Client } from 'minio';
import { StorageErrorCode } from '../storage.errors';
import { MinioObjectStorage, type MinioObjectStorageOptions } from './minio-object-storage';
import { amzDate, canonicalQueryString, chunkSignature, encodeS3Path, signRequest } from './sigv4';
import { awsChunkedLength, awsChunkedTrailer, frame } from './streaming-part-upload';

/**
 * uploadPartStream against versitygw beyond the shared contract: what the server itself verifies of each way
 * to send a part without knowing its digest up front (the reason for STREAMING-UNSIGNED-PAYLOAD-TRAILER), and
 * the failures only a real network shows: a client going away mid-part, the server going away mid-part.
 * A private server: one test kills it.
 */
const BUCKET = 'evidence';
const MiB = 1024 * 1024;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();

let server: S3Server;
let direct: Client;

beforeAll(async () => {
  server = await startS3Server({ buckets: [BUCKET] });
  direct = new Client({
    endPoint: server.host,
    port: server.port,
    useSSL: false,
    accessKey: server.accessKey,
    secretKey: server.secretKey,
    region: server.region,
  });
});

afterAll(async () => {
  await server?.stop();
});

function options(overrides: Partial<MinioObjectStorageOptions> = {}): MinioObjectStorageOptions {
  return {
    endPoint: server.host,
    port: server.port,
    useSSL: false,
    accessKey: server.accessKey,
    secretKey: server.secretKey,
    bucket: BUCKET,
    ...overrides,
  };
}

const newKey = (label: string) => `cases/${randomUUID()}/${label}`;

/** Part numbers the server holds for an upload (ListParts). */
async function storedParts(key: string, uploadId: string): Promise<number[]> {
  const response = await direct.makeRequestAsync({
    method: 'GET',
    bucketName: BUCKET,
    objectName: key,
    query: `uploadId=${encodeURIComponent(uploadId)}`,
  });
  let xml = '';
  for await (const chunk of response) xml += String(chunk);
  return [...xml.matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((match) => Number(match[1]));
}

describe('what versitygw verifies of a part sent without its digest up front', () => {
  const data = randomBytes(200_000);

  /** One UploadPart by hand, signed with `payloadHash`; answers status and S3 error code. */
  async function rawUploadPart(
    key: string,
    uploadId: string,
    payloadHash: string,
    extraHeaders: Record<string, string>,
    body: Buffer,
  ): Promise<{ status: number; code: string | undefined }> {
    const path = encodeS3Path(BUCKET, key);
    const query = { partNumber: '1', uploadId };
    const date = new Date();
    const headers: Record<string, string> = {
      host: `${server.host}:${server.port}`,
      'x-amz-date': amzDate(date),
      'x-amz-content-sha256': payloadHash,
      'content-length': String(body.length),
      ...extraHeaders,
    };
    const credentials = { accessKey: server.accessKey, secretKey: server.secretKey, region: server.region };
    const seed = signRequest({ method: 'PUT', path, query, headers, payloadHash }, credentials, date);
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          host: server.host,
          port: server.port,
          method: 'PUT',
          path: `${path}?${canonicalQueryString(query)}`,
          headers: { ...headers, authorization: seed.authorization },
        },
        (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, code: /<Code>([^<]*)/.exec(text)?.[1] }));
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  function trailerBody(digest: Buffer, flipByte = false): Buffer {
    const framed = Buffer.concat(frame(data, 0, data.length).map((piece) => Buffer.from(piece)));
    if (flipByte) framed[100] ^= 1;
    return Buffer.concat([framed, Buffer.from(awsChunkedTrailer(digest))]);
  }

  const trailerHeaders = {
    'content-encoding': 'aws-chunked',
    'x-amz-decoded-content-length': String(data.length),
    'x-amz-trailer': 'x-amz-checksum-sha256',
    'x-amz-sdk-checksum-algorithm': 'SHA256',
  };

  async function attempt(send: (key: string, uploadId: string) => Promise<{ status: number; code: string | undefined }>) {
    const key = newKey('probe');
    const uploadId = await direct.initiateNewMultipartUpload(BUCKET, key, {});
    try {
      const answer = await send(key, uploadId);
      return { ...answer, stored: await storedParts(key, uploadId) };
    } finally {
      await direct.abortMultipartUpload(BUCKET, key, uploadId);
    }
  }

  it('STREAMING-UNSIGNED-PAYLOAD-TRAILER: checks the x-amz-checksum-sha256 trailer against the bytes', async () => {
    const trailer = (body: Buffer) => (key: string, uploadId: string) =>
      rawUploadPart(key, uploadId, 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', trailerHeaders, body);
    expect(trailerBody(sha256(data)).length).toBe(awsChunkedLength(data.length));

    expect(await attempt(trailer(trailerBody(sha256(data))))).toEqual({ status: 200, code: undefined, stored: [1] });
    expect(await attempt(trailer(trailerBody(randomBytes(32))))).toEqual({ status: 400, code: 'BadDigest', stored: [] });
    expect(await attempt(trailer(trailerBody(sha256(data), true)))).toEqual({ status: 400, code: 'BadDigest', stored: [] });
  });

  it('STREAMING-AWS4-HMAC-SHA256-PAYLOAD: checks every chunk signature (and so the bytes)', async () => {
    const signedChunks = (flipByte: boolean) => async (key: string, uploadId: string) => {
      // The chunk signatures depend on the seed, which depends on the date: sign here, send through the helper.
      const chunks = [data.subarray(0, 65_536), data.subarray(65_536, 131_072), data.subarray(131_072), Buffer.alloc(0)];
      const wireLength = chunks.reduce((sum, c) => sum + c.length.toString(16).length + 17 + 64 + 2 + c.length + 2, 0);
      const path = encodeS3Path(BUCKET, key);
      const query = { partNumber: '1', uploadId };
      const date = new Date();
      const payloadHash = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
      const headers: Record<string, string> = {
        host: `${server.host}:${server.port}`,
        'x-amz-date': amzDate(date),
        'x-amz-content-sha256': payloadHash,
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': String(data.length),
        'content-length': String(wireLength),
      };
      const credentials = { accessKey: server.accessKey, secretKey: server.secretKey, region: server.region };
      const seed = signRequest({ method: 'PUT', path, query, headers, payloadHash }, credentials, date);
      let previous = seed.signature;
      const wire: Buffer[] = [];
      for (const [index, chunk] of chunks.entries()) {
        previous = chunkSignature(credentials, seed, previous, chunk);
        const sent = Buffer.from(chunk);
        if (flipByte && index === 1) sent[3] ^= 1;
        wire.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${previous}\r\n`), sent, Buffer.from('\r\n'));
      }
      return new Promise<{ status: number; code: string | undefined }>((resolve, reject) => {
        const request = http.request(
          {
            host: server.host,
            port: server.port,
            method: 'PUT',
            path: `${path}?${canonicalQueryString(query)}`,
            headers: { ...headers, authorization: seed.authorization },
          },
          (response) => {
            let text = '';
            response.on('data', (chunk: Buffer) => (text += chunk.toString()));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, code: /<Code>([^<]*)/.exec(text)?.[1] }));
          },
        );
        request.on('error', reject);
        request.end(Buffer.concat(wire));
      });
    };

    expect(await attempt(signedChunks(false))).toEqual({ status: 200, code: undefined, stored: [1] });
    expect(await attempt(signedChunks(true))).toEqual({ status: 403, code: 'SignatureDoesNotMatch', stored: [] });
  });

  it('UNSIGNED-PAYLOAD: checks nothing, a flipped byte is stored', async () => {
    const flipped = Buffer.from(data);
    flipped[5] ^= 1;

    const answer = await attempt((key, uploadId) => rawUploadPart(key, uploadId, 'UNSIGNED-PAYLOAD', {}, flipped));

    expect(answer).toEqual({ status: 200, code: undefined, stored: [1] });
  });
});

describe('MinioObjectStorage.uploadPartStream on versitygw', () => {
  it("signs keys with every character keys may hold (!*'() included)", async () => {
    const sut = new MinioObjectStorage(options());
    const key = `cases/${randomUUID()}/it's (really) *the* one!.mp4`.replace(/ /g, '_');
    const content = randomBytes(100_000);
    const uploadId = await sut.initiateMultipart(key);

    const part = await sut.uploadPartStream(key, uploadId, 1, Readable.from([content]), { size: content.length });
    const result = await sut.completeMultipart(key, uploadId, [part]);

    expect(result.sha256).toBe(sha256(content).toString('hex'));
  });

  it('relays a part from an HTTP request as it arrives; a client that goes away aborts the S3 request too', async () => {
    const sut = new MinioObjectStorage(options());
    const key = newKey('relayed.mp4');
    const uploadId = await sut.initiateMultipart(key);
    const size = 8 * MiB;
    const outcomes: Array<Promise<unknown>> = [];
    let firstBytesStored: (() => void) | undefined;
    const relay = http.createServer((request, response) => {
      const partNumber = Number(request.url?.slice(1));
      const outcome = sut.uploadPartStream(key, uploadId, partNumber, request, { size });
      outcomes.push(outcome.catch((error: unknown) => error));
      void outcome.then(
        (part) => response.end(JSON.stringify(part)),
        () => response.destroy(),
      );
      request.once('data', () => firstBytesStored?.());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const { port } = relay.address() as AddressInfo;
    try {
      // A complete part goes through.
      const content = randomBytes(size);
      const stored = await new Promise<string>((resolve, reject) => {
        const request = http.request({ host: '127.0.0.1', port, method: 'PUT', path: '/1' }, (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve(text));
        });
        request.on('error', reject);
        request.end(content);
      });
      expect(JSON.parse(stored)).toMatchObject({ partNumber: 1, size, sha256: sha256(content).toString('hex') });

      // Part 2: half of it, then the client is gone.
      const arrived = new Promise<void>((resolve) => (firstBytesStored = resolve));
      const client = http.request({ host: '127.0.0.1', port, method: 'PUT', path: '/2', headers: { 'content-length': String(size) } });
      client.on('error', () => undefined);
      client.write(randomBytes(size / 2));
      await arrived;
      await new Promise((resolve) => setTimeout(resolve, 200));
      client.destroy();

      const failure = await outcomes[1];
      expect(failure).toMatchObject({ code: 'ECONNRESET' });
      expect(await storedParts(key, uploadId)).toEqual([1]);
    } finally {
      relay.close();
      await sut.abortMultipart(key, uploadId);
    }
  });

  it('reports an unreachable server as STORAGE_UNAVAILABLE', async () => {
    const sut = new MinioObjectStorage(options({ port: 1 }));
    const content = randomBytes(300_000);

    await expect(sut.uploadPartStream('k', 'f'.repeat(32), 1, Readable.from([content]), { size: content.length })).rejects.toMatchObject({
      code: StorageErrorCode.StorageUnavailable,
    });
  });

  it('reports a server that dies mid-part as STORAGE_UNAVAILABLE and stores nothing', async () => {
    const sut = new MinioObjectStorage(options({ maxPartSize: 64 * MiB }));
    const key = newKey('server-gone');
    const uploadId = await sut.initiateMultipart(key);
    const size = 64 * MiB;
    let sent = 0;
    async function* slowSource(): AsyncGenerator<Buffer> {
      const chunk = randomBytes(MiB);
      while (sent < size) {
        // Dead before the rest is sent, however long a loaded machine takes to kill it.
        if (sent === 4 * MiB) await server.kill();
        sent += chunk.length;
        yield chunk;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }

    const outcome = await sut
      .uploadPartStream(key, uploadId, 1, Readable.from(slowSource(), { objectMode: false }), { size })
      .catch((error: unknown) => error);

    expect(outcome).toMatchObject({ code: StorageErrorCode.StorageUnavailable });
    expect(sent).toBeLessThan(size);
    await server.restart();
    expect(await storedParts(key, uploadId)).toEqual([]);
    await sut.abortMultipart(key, uploadId);
  }, 60_000);
});
