import { createHash } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import { DigestMismatchError, PartSizeMismatchError } from '../storage.errors';
import { bareEtag } from '../storage.validation';
import { asBytes, readBody } from '../stream-parts';
import { S3ErrorWithCode } from './s3-error-mapping';
import { amzDate, canonicalQueryString, encodeS3Path, signRequest, uriEncode, type SigV4Credentials } from './sigv4';

/**
 * UploadPart with a body that is still arriving: the bytes go to S3 as the caller's stream yields them, in
 * aws-chunked framing signed STREAMING-UNSIGNED-PAYLOAD-TRAILER, with the part's SHA-256, computed on the
 * way, sent as the `x-amz-checksum-sha256` trailer after the last byte. The server hashes what it received
 * and refuses the part (BadDigest) when the trailer does not match, before the part exists: the digest the
 * adapter reports is the one the server checked, as with a payload-signed UploadPart, without holding the
 * part in memory first.
 *
 * Why not the alternatives (all three tried against versitygw 1.7, see minio-streaming-part.integration-spec.ts):
 * - STREAMING-AWS4-HMAC-SHA256-PAYLOAD signs every chunk, which needs the whole chunk before its header can be
 *   written (a copy into a chunk buffer) and a second SHA-256 over every byte on both sides, and still leaves
 *   the part's SHA-256 unchecked by anyone: it protects chunks, not the digest the record relies on.
 * - UNSIGNED-PAYLOAD checks nothing on the way; only the completion's read-back would notice.
 * The request itself (headers, trailer name, decoded length) is still signed by the seed signature.
 *
 * The request never ends cleanly unless exactly `size` bytes went through (and, if given, they hash to the
 * expected digest): on any other outcome it is destroyed before the terminating chunk, the server sees an
 * incomplete body and records nothing, so an earlier attempt of the same part number stays as it was.
 *
 * Memory: nothing is buffered here. Each chunk the caller's stream yields is written as it is, and the next
 * one is only read once the socket has drained, so what is held is the socket's and the stream's own
 * high-water marks, whatever the part size.
 */
export interface StreamingPartEndpoint {
  host: string;
  port: number;
  useSSL: boolean;
  /** Path-style (`/bucket/key` on `host`) or virtual-hosted (`/key` on `bucket.host`). */
  pathStyle: boolean;
  credentials: SigV4Credentials;
  agent: http.Agent;
}

export interface StreamingPartRequest {
  bucket: string;
  key: string;
  uploadId: string;
  partNumber: number;
  body: Readable;
  size: number;
  /** Hex SHA-256 the bytes must have; on mismatch nothing is recorded and DIGEST_MISMATCH is thrown. */
  expectedSha256?: string;
}

export interface StreamedPart {
  etag: string;
  sha256: string;
}

/** Every chunk but the last carries this many bytes; AWS asks for at least 8 KiB and recommends 64 KiB. */
export const AWS_CHUNK_SIZE = 64 * 1024;
const TRAILER_NAME = 'x-amz-checksum-sha256';
// base64 of 32 bytes
const TRAILER_VALUE_LENGTH = 44;
const CRLF = '\r\n';

/** Bytes on the wire for `size` payload bytes in chunks of AWS_CHUNK_SIZE plus the final chunk and trailer. */
export function awsChunkedLength(size: number, chunkSize = AWS_CHUNK_SIZE): number {
  const full = Math.floor(size / chunkSize);
  const rest = size % chunkSize;
  const framing = (length: number): number => length.toString(16).length + CRLF.length + length + CRLF.length;
  return (
    full * framing(chunkSize) +
    (rest > 0 ? framing(rest) : 0) +
    `0${CRLF}`.length +
    `${TRAILER_NAME}:`.length +
    TRAILER_VALUE_LENGTH +
    CRLF.length +
    CRLF.length
  );
}

export function awsChunkedTrailer(sha256: Buffer): string {
  return `0${CRLF}${TRAILER_NAME}:${sha256.toString('base64')}${CRLF}${CRLF}`;
}

export async function uploadPartStreaming(endpoint: StreamingPartEndpoint, part: StreamingPartRequest): Promise<StreamedPart> {
  const { size } = part;
  const hostHeader = hostWithPort(endpoint.pathStyle ? endpoint.host : `${part.bucket}.${endpoint.host}`, endpoint);
  const path = endpoint.pathStyle ? encodeS3Path(part.bucket, part.key) : `/${part.key.split('/').map(uriEncode).join('/')}`;
  const query = { partNumber: String(part.partNumber), uploadId: part.uploadId };
  const date = new Date();
  const headers: Record<string, string> = {
    host: hostHeader,
    'x-amz-date': amzDate(date),
    'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    'content-encoding': 'aws-chunked',
    'content-length': String(awsChunkedLength(size)),
    'x-amz-decoded-content-length': String(size),
    'x-amz-trailer': TRAILER_NAME,
    'x-amz-sdk-checksum-algorithm': 'SHA256',
  };
  const signed = signRequest(
    { method: 'PUT', path, query, headers, payloadHash: headers['x-amz-content-sha256'] },
    endpoint.credentials,
    date,
  );
  headers['authorization'] = signed.authorization;

  const request = (endpoint.useSSL ? https : http).request({
    method: 'PUT',
    host: endpoint.pathStyle ? endpoint.host : `${part.bucket}.${endpoint.host}`,
    port: endpoint.port,
    path: `${path}?${canonicalQueryString(query)}`,
    headers,
    agent: endpoint.agent,
  });
  const exchange = new Exchange(request);

  const hash = createHash('sha256');
  let sent = 0;
  try {
    for await (const chunk of readBody(part.body)) {
      exchange.throwIfAnswered();
      if (sent + chunk.length > size) throw new PartSizeMismatchError(part.partNumber, size, sent + chunk.length);
      hash.update(chunk);
      await exchange.write(frame(chunk, sent, size));
      sent += chunk.length;
    }
    if (sent !== size) throw new PartSizeMismatchError(part.partNumber, size, sent);
    const digest = hash.digest();
    const sha256 = digest.toString('hex');
    if (part.expectedSha256 !== undefined && part.expectedSha256 !== sha256) {
      throw new DigestMismatchError(part.key, part.expectedSha256, sha256);
    }
    exchange.throwIfAnswered();
    request.end(awsChunkedTrailer(digest));
    const etag = await exchange.response();
    return { etag, sha256 };
  } catch (error) {
    // Whatever went wrong, the server must not see a complete body: no terminating chunk, connection cut.
    request.destroy();
    throw exchange.preferServerAnswer(error);
  }
}

/**
 * The pieces that carry `chunk` on the wire, where `offset` bytes of a part of `size` went before it: a chunk
 * header where a fixed-size chunk starts, the payload bytes as they are (slices, not copies), CRLF where a
 * chunk ends.
 */
export function frame(chunk: Buffer, offset: number, size: number): Array<Buffer | string> {
  const pieces: Array<Buffer | string> = [];
  let position = 0;
  let absolute = offset;
  while (position < chunk.length) {
    const inChunk = absolute % AWS_CHUNK_SIZE;
    if (inChunk === 0) pieces.push(`${Math.min(AWS_CHUNK_SIZE, size - absolute).toString(16)}${CRLF}`);
    const take = Math.min(AWS_CHUNK_SIZE - inChunk, chunk.length - position);
    pieces.push(chunk.subarray(position, position + take));
    position += take;
    absolute += take;
    if (absolute % AWS_CHUNK_SIZE === 0 || absolute === size) pieces.push(CRLF);
  }
  return pieces;
}

/** The request in flight and its answer, which may come early (an error) while the body is still going out. */
class Exchange {
  private answer: { etag: string } | { error: Error } | undefined;
  private transportError: Error | undefined;
  private readonly settled: Promise<string>;

  constructor(private readonly request: http.ClientRequest) {
    this.settled = new Promise<string>((resolve, reject) => {
      request.on('response', (response) => {
        void readAnswer(response).then(
          (answer) => {
            this.answer = answer;
            if ('etag' in answer) resolve(answer.etag);
            else reject(answer.error);
          },
          (error: unknown) => {
            this.transportError = asError(error);
            reject(this.transportError);
          },
        );
      });
      request.on('error', (error) => {
        this.transportError ??= error;
        reject(error);
      });
    });
    // Rejections are consumed through response() / preferServerAnswer(); never unhandled.
    this.settled.catch(() => undefined);
  }

  response(): Promise<string> {
    return this.settled;
  }

  /** Stop sending once the server has answered (it refused the part without waiting for the body). */
  throwIfAnswered(): void {
    if (this.answer !== undefined && 'error' in this.answer) throw this.answer.error;
    if (this.transportError !== undefined) throw this.transportError;
  }

  /** Writes, then waits for the socket to drain if it is full: that wait is the backpressure on the caller. */
  async write(pieces: ReadonlyArray<Buffer | string>): Promise<void> {
    this.request.cork();
    let full = false;
    for (const piece of pieces) full = !this.request.write(piece) || full;
    this.request.uncork();
    if (!full) return;
    // Also stop waiting when the server answers: one that refused the part may stop reading without closing.
    let stopWaiting = (): void => undefined;
    const drained = new Promise<void>((resolve, reject) => {
      const closed = (): void =>
        reject(this.transportError ?? new S3ErrorWithCode('RequestAborted', 'connection to object storage closed'));
      this.request.once('drain', resolve);
      this.request.once('close', closed);
      stopWaiting = () => {
        this.request.off('drain', resolve);
        this.request.off('close', closed);
      };
    });
    try {
      await Promise.race([drained, this.settled]);
    } finally {
      stopWaiting();
    }
    this.throwIfAnswered();
  }

  /** A server's error answer explains a broken pipe better than the pipe does. */
  preferServerAnswer(error: unknown): unknown {
    if (this.answer !== undefined && 'error' in this.answer && error === this.transportError) return this.answer.error;
    return error;
  }
}

async function readAnswer(response: http.IncomingMessage): Promise<{ etag: string } | { error: Error }> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(asBytes(chunk));
  const status = response.statusCode ?? 0;
  const body = Buffer.concat(chunks).toString('utf8');
  if (status === 200) {
    const etag = response.headers['etag'];
    if (typeof etag === 'string' && etag.length > 0) return { etag: bareEtag(etag) };
    return { error: new S3ErrorWithCode('InvalidResponse', 'UploadPart returned no ETag') };
  }
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1] ?? `Http${status}`;
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1] ?? `UploadPart failed with HTTP ${status}`;
  return { error: new S3ErrorWithCode(code, message) };
}

function hostWithPort(host: string, endpoint: Pick<StreamingPartEndpoint, 'port' | 'useSSL'>): string {
  const defaultPort = endpoint.useSSL ? 443 : 80;
  return endpoint.port === defaultPort ? host : `${host}:${endpoint.port}`;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
