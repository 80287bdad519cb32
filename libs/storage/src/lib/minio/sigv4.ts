import { createHash, createHmac } from 'node:crypto';

/**
 * AWS Signature Version 4 for S3 requests with an `Authorization` header, written out because minio does not
 * export its signer and has no streaming (aws-chunked) support. Reference:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html and, for the chunk
 * signatures, .../sigv4-streaming.html; sigv4.spec.ts checks both against the examples published there.
 */
export interface SigV4Credentials {
  accessKey: string;
  secretKey: string;
  region: string;
  /** Always 's3' here; parameterised for the tests. */
  service?: string;
}

export interface SigV4Request {
  method: string;
  /** The path exactly as it goes on the wire, already URI-encoded (see encodeS3Path). */
  path: string;
  /** Raw (unencoded) query parameters; a value of '' signs as `name=`. */
  query?: Readonly<Record<string, string>>;
  /** Every header to sign, `host` included; names in any case. */
  headers: Readonly<Record<string, string>>;
  /** Hex SHA-256 of the body, or a marker such as UNSIGNED-PAYLOAD / STREAMING-UNSIGNED-PAYLOAD-TRAILER. */
  payloadHash: string;
}

export interface SigV4Signature {
  authorization: string;
  /** Hex signature, the seed of a chain of chunk signatures. */
  signature: string;
  /** `yyyymmdd/region/service/aws4_request`. */
  scope: string;
  amzDate: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** `20130524T000000Z`, the x-amz-date format. */
export function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ is percent-encoded. */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Path-style `/bucket/key`, each segment encoded once and the slashes kept, as S3 canonicalises it. */
export function encodeS3Path(bucket: string, key: string): string {
  return `/${uriEncode(bucket)}/${key.split('/').map(uriEncode).join('/')}`;
}

export function canonicalQueryString(query: Readonly<Record<string, string>> = {}): string {
  return Object.entries(query)
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

export function canonicalRequest(request: SigV4Request): { text: string; signedHeaders: string } {
  const headers = Object.entries(request.headers)
    .map(([name, value]) => [name.toLowerCase(), value.trim().replace(/\s+/g, ' ')] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const signedHeaders = headers.map(([name]) => name).join(';');
  const text = [
    request.method.toUpperCase(),
    request.path,
    canonicalQueryString(request.query),
    headers.map(([name, value]) => `${name}:${value}\n`).join(''),
    signedHeaders,
    request.payloadHash,
  ].join('\n');
  return { text, signedHeaders };
}

export function signingKey(secretKey: string, day: string, region: string, service: string): Buffer {
  const dateKey = hmac(`AWS4${secretKey}`, day);
  return hmac(hmac(hmac(dateKey, region), service), 'aws4_request');
}

/**
 * Signs a request made at `date`. The headers must already hold `x-amz-date` (= amzDate(date)) and, for S3,
 * `x-amz-content-sha256` (= payloadHash); they are signed like every other header passed in.
 */
export function signRequest(request: SigV4Request, credentials: SigV4Credentials, date: Date): SigV4Signature {
  const stamp = amzDate(date);
  const day = stamp.slice(0, 8);
  const scope = `${day}/${credentials.region}/${credentials.service ?? 's3'}/aws4_request`;
  const canonical = canonicalRequest(request);
  const stringToSign = [ALGORITHM, stamp, scope, sha256Hex(canonical.text)].join('\n');
  const key = signingKey(credentials.secretKey, day, credentials.region, credentials.service ?? 's3');
  const signature = hmac(key, stringToSign).toString('hex');
  return {
    authorization:
      `${ALGORITHM} Credential=${credentials.accessKey}/${scope}, ` + `SignedHeaders=${canonical.signedHeaders}, Signature=${signature}`,
    signature,
    scope,
    amzDate: stamp,
  };
}

/**
 * The signature of one chunk of a STREAMING-AWS4-HMAC-SHA256-PAYLOAD body, chained on the previous one (the
 * seed signature for the first chunk). Not used by the adapter (it streams with an unsigned payload and a
 * SHA-256 trailer, see streaming-part-upload.ts) but kept, with its test against AWS's example, to probe servers.
 */
export function chunkSignature(
  credentials: SigV4Credentials,
  seed: Pick<SigV4Signature, 'scope' | 'amzDate'>,
  previousSignature: string,
  chunk: Buffer,
): string {
  const stringToSign = ['AWS4-HMAC-SHA256-PAYLOAD', seed.amzDate, seed.scope, previousSignature, EMPTY_SHA256, sha256Hex(chunk)].join('\n');
  const key = signingKey(credentials.secretKey, seed.amzDate.slice(0, 8), credentials.region, credentials.service ?? 's3');
  return hmac(key, stringToSign).toString('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
