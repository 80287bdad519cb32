import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { Client, type ClientOptions } from 'minio';
import type { PartReference } from '../object-storage.port';
import { bareEtag } from '../storage.validation';
import { errorCode, S3ErrorWithCode } from './s3-error-mapping';
import { uploadPartStreaming, type StreamedPart, type StreamingPartEndpoint } from './streaming-part-upload';

const USER_METADATA_PREFIX = 'x-amz-meta-';
// How a connection the server closed on us mid-request shows (RequestAborted: see streaming-part-upload.ts).
const CONNECTION_BROKEN = new Set(['ECONNRESET', 'EPIPE', 'RequestAborted']);

export interface HeadObjectResult {
  size: number;
  etag: string;
  contentType: string | undefined;
  lastModified: Date;
  /** x-amz-meta-* headers, prefix removed, values exactly as stored. */
  userMetadata: Record<string, string>;
}

export interface CompletedUpload {
  etag: string;
  /** The version the completion created, in a bucket with versioning (and so with object lock). */
  versionId: string | undefined;
}

/**
 * The slice of the S3 API the adapter needs, typed exactly, over minio's Client.
 *
 * Why not minio's own uploadPart/completeMultipartUpload (minio 8.0.6):
 * - `uploadPart` parses a CopyPartResult body, i.e. it only works for UploadPartCopy; a plain UploadPart
 *   answers with an empty body and the ETag in a header, and the call dies with a TypeError.
 * - `completeMultipartUpload` cannot send If-None-Match, which makes completion atomic against overwriting
 *   on servers that support conditional writes (AWS, recent MinIO).
 * Both go through `makeRequestAsync*`, which minio exposes in its declarations and uses for the same
 * purpose internally.
 */
export class MinioS3Client {
  private readonly client: Client;
  private readonly streaming: StreamingPartEndpoint;

  constructor(options: ClientOptions) {
    this.client = new Client(options);
    const useSSL = options.useSSL ?? true;
    this.streaming = {
      host: options.endPoint,
      port: options.port ?? (useSSL ? 443 : 80),
      useSSL,
      pathStyle: options.pathStyle ?? true,
      credentials: { accessKey: options.accessKey ?? '', secretKey: options.secretKey ?? '', region: options.region ?? 'us-east-1' },
      // Idle keep-alive sockets are unref'd by the agent, so they do not hold a process open.
      agent: useSSL ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true }),
    };
  }

  bucketExists(bucket: string): Promise<boolean> {
    return this.client.bucketExists(bucket);
  }

  makeBucket(bucket: string, region: string, objectLocking: boolean): Promise<void> {
    return this.client.makeBucket(bucket, region, { ObjectLocking: objectLocking });
  }

  async isObjectLockEnabled(bucket: string): Promise<boolean> {
    // minio's overloads resolve a one-argument call to `void`; at run time it is Promise<ObjectLockInfo>.
    const config: unknown = await (this.client.getObjectLockConfig(bucket) as unknown);
    if (typeof config !== 'object' || config === null || !('objectLockEnabled' in config)) return false;
    return config.objectLockEnabled === 'Enabled';
  }

  async headObject(bucket: string, key: string): Promise<HeadObjectResult> {
    const response = await this.client.makeRequestAsyncOmit({ method: 'HEAD', bucketName: bucket, objectName: key });
    const { headers } = response;
    const userMetadata: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (name.startsWith(USER_METADATA_PREFIX) && value !== undefined) {
        userMetadata[name.slice(USER_METADATA_PREFIX.length)] = String(value);
      }
    }
    return {
      size: Number(headers['content-length'] ?? 0),
      etag: bareEtag(headerValue(headers, 'etag') ?? ''),
      contentType: headerValue(headers, 'content-type'),
      lastModified: new Date(headerValue(headers, 'last-modified') ?? 0),
      userMetadata,
    };
  }

  initiateMultipartUpload(bucket: string, key: string, headers: Record<string, string>): Promise<string> {
    return this.client.initiateNewMultipartUpload(bucket, key, headers);
  }

  /**
   * Returns the part's ETag, unquoted. Over plain HTTP the request is signed with the payload's SHA-256
   * (x-amz-content-sha256), which S3 and MinIO check against the bytes and refuse on mismatch, so a part
   * changed on the way is never stored; a caller that hashed the part while receiving it passes the digest
   * and the part is not hashed again. Over TLS minio signs UNSIGNED-PAYLOAD and TLS protects the bytes.
   * Either way the completed object's digest is checked by reading it back.
   */
  async uploadPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    data: Buffer,
    payloadSha256?: string,
  ): Promise<string> {
    const signedDigest = this.client.enableSHA256 ? (payloadSha256 ?? createHash('sha256').update(data).digest('hex')) : '';
    const response = await this.client.makeRequestStreamAsync(
      {
        method: 'PUT',
        bucketName: bucket,
        objectName: key,
        query: `partNumber=${partNumber}&uploadId=${encodeURIComponent(uploadId)}`,
        headers: { 'content-length': String(data.length) },
      },
      data,
      signedDigest,
      [200],
      '',
    );
    await finished(response.resume());
    const etag = headerValue(response.headers, 'etag');
    if (etag === undefined) {
      throw new S3ErrorWithCode('InvalidResponse', `UploadPart of part ${partNumber} returned no ETag`);
    }
    return bareEtag(etag);
  }

  /**
   * UploadPart from a stream still arriving, with the part's SHA-256 checked by the server from a trailer;
   * see streaming-part-upload.ts. Over TLS and plain HTTP alike.
   */
  async uploadPartStream(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: Readable,
    size: number,
    expectedSha256?: string,
  ): Promise<StreamedPart> {
    try {
      return await uploadPartStreaming(this.streaming, { bucket, key, uploadId, partNumber, body, size, expectedSha256 });
    } catch (error) {
      // A server refusing a part early (an unknown upload, say) answers and closes while the body is still
      // coming in, and the unread body makes its kernel reset the connection: we see the reset, not the
      // answer. Ask again, cheaply, so that an upload gone away is told apart from a server gone away.
      if (CONNECTION_BROKEN.has(errorCode(error) ?? '')) await this.listOnePart(bucket, key, uploadId);
      throw error;
    }
  }

  /** ListParts for at most one part: fails with NoSuchUpload when the upload does not exist (for this key). */
  private async listOnePart(bucket: string, key: string, uploadId: string): Promise<void> {
    const response = await this.client.makeRequestAsync({
      method: 'GET',
      bucketName: bucket,
      objectName: key,
      query: `max-parts=1&uploadId=${encodeURIComponent(uploadId)}`,
    });
    await finished(response.resume());
  }

  /**
   * CompleteMultipartUpload with If-None-Match: *. S3 may answer 200 and put an <Error> in the body (the
   * assembly can fail after the status line was sent), so the body is checked as well.
   */
  async completeMultipartUpload(bucket: string, key: string, uploadId: string, parts: readonly PartReference[]): Promise<CompletedUpload> {
    const payload =
      '<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      parts.map(({ partNumber, etag }) => partXml(partNumber, bareEtag(etag))).join('') +
      '</CompleteMultipartUpload>';
    const response = await this.client.makeRequestAsync(
      {
        method: 'POST',
        bucketName: bucket,
        objectName: key,
        query: `uploadId=${encodeURIComponent(uploadId)}`,
        headers: { 'Content-Type': 'application/xml', 'If-None-Match': '*' },
      },
      payload,
    );
    const body = await readText(response);
    const errorCode = xmlElement(body, 'Code');
    if (body.includes('<Error>') && errorCode !== undefined) {
      throw new S3ErrorWithCode(errorCode, xmlElement(body, 'Message') ?? 'CompleteMultipartUpload failed');
    }
    return {
      etag: bareEtag(decodeXmlEntities(xmlElement(body, 'ETag') ?? '')),
      // Unversioned buckets send no version id, or an empty one (versitygw).
      versionId: headerValue(response.headers, 'x-amz-version-id') || undefined,
    };
  }

  abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    return this.client.abortMultipartUpload(bucket, key, uploadId);
  }

  /** `end` is inclusive; without a range the whole object. Without a version id the current version. */
  getObject(bucket: string, key: string, range?: { start: number; end?: number }, versionId?: string): Promise<Readable> {
    const options = versionId === undefined ? {} : { versionId };
    if (range === undefined) return this.client.getObject(bucket, key, options);
    const length = range.end === undefined ? 0 : range.end - range.start + 1;
    return this.client.getPartialObject(bucket, key, range.start, length, options);
  }

  /**
   * With a version id that version is gone for good; without one a versioned bucket only gets a delete
   * marker on top of the object's versions.
   */
  removeObject(bucket: string, key: string, versionId?: string): Promise<void> {
    return this.client.removeObject(bucket, key, versionId === undefined ? {} : { versionId });
  }

  presignedGetObject(bucket: string, key: string, ttlSeconds: number): Promise<string> {
    return this.client.presignedGetObject(bucket, key, ttlSeconds);
  }

  async setLegalHold(bucket: string, key: string, versionId: string | undefined): Promise<void> {
    // minio declares setObjectLegalHold as returning void, but it is async and must be awaited to see errors.
    const pending: unknown = this.client.setObjectLegalHold(bucket, key, {
      status: 'ON',
      ...(versionId === undefined ? {} : { versionId }),
    });
    await pending;
  }

  putRetention(
    bucket: string,
    key: string,
    versionId: string | undefined,
    mode: 'GOVERNANCE' | 'COMPLIANCE',
    retainUntil: Date,
  ): Promise<void> {
    // minio's type demands a versionId; an empty one is left out of the request and means "current version".
    return this.client.putObjectRetention(bucket, key, {
      versionId: versionId ?? '',
      mode,
      retainUntilDate: retainUntil.toISOString(),
    });
  }
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

function xmlElement(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

function decodeXmlEntities(text: string): string {
  return text
    .replace(/&quot;|&#34;/g, '"')
    .replace(/&apos;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function partXml(partNumber: number, etag: string): string {
  return `<Part><PartNumber>${partNumber}</PartNumber><ETag>${escapeXml(etag)}</ETag></Part>`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
