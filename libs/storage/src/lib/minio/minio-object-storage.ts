import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type {
  ByteRange,
  CompleteMultipartOptions,
  InitiateMultipartOptions,
  ObjectStat,
  ObjectStorage,
  PartReference,
  PutStreamOptions,
  StorageLimits,
  StoredObject,
  UploadedPart,
  UploadPartOptions,
  UploadPartStreamOptions,
} from '../object-storage.port';
import {
  DigestMismatchError,
  InvalidArgumentError,
  ObjectExistsError,
  ObjectNotFoundError,
  StorageUnavailableError,
} from '../storage.errors';
import {
  assertValidKey,
  assertValidPartNumber,
  assertValidRange,
  assertValidTtl,
  checkedPartStream,
  DEFAULT_CONTENT_TYPE,
  MAX_PART_NUMBER,
  normalizeContentType,
  normalizeMetadata,
  normalizeSha256,
  resolveLimits,
  resolvePartSize,
  S3_MIN_PART_SIZE,
  sortPartList,
} from '../storage.validation';
import { fixedSizeParts, readPartIntoMemory, sha256OfStream, unwrapBodyFailure } from '../stream-parts';
import { MinioS3Client } from './minio-s3-client';
import { errorCode, toStorageError, type S3ErrorContext } from './s3-error-mapping';

export interface MinioObjectStorageOptions {
  /** Host name or IP, no scheme (minio's convention), e.g. 'minio.internal'. */
  endPoint: string;
  port?: number;
  useSSL?: boolean;
  accessKey: string;
  secretKey: string;
  bucket: string;
  /** Also spares minio a GetBucketLocation round trip before the first request. Defaults to us-east-1. */
  region?: string;
  /** Path-style URLs (http://host/bucket/key); what MinIO and most self-hosted S3 servers expect. Default true. */
  pathStyle?: boolean;
  /**
   * WORM for evidence originals, on servers with S3 object lock (AWS, MinIO, versitygw). When true,
   * ensureBucket creates the bucket with object locking (and refuses an existing bucket without it), and
   * every completed object version gets a legal hold plus, if `objectLockRetention` is set, a retention period.
   */
  objectLock?: boolean;
  objectLockRetention?: { mode: 'GOVERNANCE' | 'COMPLIANCE'; days: number };
  /** Upper bound of a part, i.e. of the memory one in-flight part holds. Default 16 MiB. */
  maxPartSize?: number;
  /** ping() gives up after this long; minio itself would retry a 503 for minutes. Default 5000. */
  pingTimeoutMs?: number;
}

const DEFAULT_REGION = 'us-east-1';
const DEFAULT_PING_TIMEOUT_MS = 5_000;
// S3's rules: 3-63 characters, lowercase letters, digits, dots and hyphens, starting and ending alphanumeric.
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Object storage on MinIO or any S3-compatible server, through the minio client's low-level multipart
 * calls. minio's high-level putObject is avoided on purpose: it looks for an unfinished multipart upload of
 * the same key and resumes it, adopting whatever parts another writer left there, and it gives no say over
 * memory per part.
 *
 * Overwrite protection is a HEAD before initiating and again right before completing, plus
 * If-None-Match: * on the completion itself, which is atomic where the server honours it (AWS, recent
 * MinIO, versitygw) and ignored by older servers, leaving only the HEAD as a best-effort guard there.
 */
export class MinioObjectStorage implements ObjectStorage {
  readonly driver = 'minio' as const;
  readonly limits: StorageLimits;
  private readonly s3: MinioS3Client;
  private readonly bucket: string;
  private readonly region: string;
  private readonly objectLock: boolean;
  private readonly retention: { mode: 'GOVERNANCE' | 'COMPLIANCE'; days: number } | undefined;
  private readonly pingTimeoutMs: number;

  constructor(options: MinioObjectStorageOptions) {
    if (!BUCKET_PATTERN.test(options.bucket) || options.bucket.includes('..')) {
      throw new InvalidArgumentError(`'${options.bucket}' is not a valid S3 bucket name`);
    }
    const retention = options.objectLockRetention;
    if (retention !== undefined && (!options.objectLock || !Number.isInteger(retention.days) || retention.days < 1)) {
      throw new InvalidArgumentError('objectLockRetention needs objectLock: true and a whole number of days >= 1');
    }
    this.limits = resolveLimits({ maxPartSize: options.maxPartSize }, S3_MIN_PART_SIZE);
    this.bucket = options.bucket;
    this.region = options.region ?? DEFAULT_REGION;
    this.objectLock = options.objectLock ?? false;
    this.retention = retention;
    this.pingTimeoutMs = options.pingTimeoutMs ?? DEFAULT_PING_TIMEOUT_MS;
    this.s3 = new MinioS3Client({
      endPoint: options.endPoint,
      port: options.port,
      useSSL: options.useSSL ?? false,
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      region: this.region,
      pathStyle: options.pathStyle ?? true,
    });
  }

  ensureBucket(): Promise<void> {
    return this.guard({}, async () => {
      if (!(await this.s3.bucketExists(this.bucket))) {
        try {
          await this.s3.makeBucket(this.bucket, this.region, this.objectLock);
        } catch (error) {
          // Another instance starting at the same time created it first.
          if (!['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes(errorCode(error) ?? '')) throw error;
        }
      }
      if (this.objectLock && !(await this.bucketHasObjectLock())) {
        throw new StorageUnavailableError(
          `bucket '${this.bucket}' exists without object lock, which can only be enabled when a bucket is created`,
        );
      }
    });
  }

  async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new StorageUnavailableError(`object storage did not answer within ${this.pingTimeoutMs} ms`)),
        this.pingTimeoutMs,
      );
      timer.unref();
    });
    try {
      const exists = await Promise.race([this.guard({}, () => this.s3.bucketExists(this.bucket)), timeout]);
      if (!exists) throw new StorageUnavailableError(`bucket '${this.bucket}' does not exist`);
    } finally {
      clearTimeout(timer);
    }
  }

  initiateMultipart(key: string, options: InitiateMultipartOptions = {}): Promise<string> {
    return this.guard({ key }, async () => {
      assertValidKey(key);
      const headers = this.objectHeaders(options.contentType, options.metadata);
      await this.assertAbsent(key);
      return this.s3.initiateMultipartUpload(this.bucket, key, headers);
    });
  }

  uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    body: Readable | Buffer,
    options: UploadPartOptions = {},
  ): Promise<UploadedPart> {
    return this.guard({ key, uploadId }, async () => {
      assertValidKey(key);
      assertValidPartNumber(partNumber);
      const part = await readPartIntoMemory(body, partNumber, this.limits.maxPartSize, normalizeSha256(options.sha256));
      const etag = await this.s3.uploadPart(this.bucket, key, uploadId, partNumber, part.data, part.sha256);
      return { partNumber, etag, size: part.data.length, sha256: part.sha256 };
    });
  }

  uploadPartStream(
    key: string,
    uploadId: string,
    partNumber: number,
    body: Readable,
    options: UploadPartStreamOptions,
  ): Promise<UploadedPart> {
    return unwrapBodyFailure(
      this.guard({ key, uploadId }, async () => {
        const { size, expectedSha256 } = checkedPartStream(key, partNumber, options, this.limits);
        const part = await this.s3.uploadPartStream(this.bucket, key, uploadId, partNumber, body, size, expectedSha256);
        return { partNumber, etag: part.etag, size, sha256: part.sha256 };
      }),
    );
  }

  completeMultipart(
    key: string,
    uploadId: string,
    parts: readonly PartReference[],
    options: CompleteMultipartOptions = {},
  ): Promise<StoredObject> {
    return this.guard({ key, uploadId }, async () => {
      assertValidKey(key);
      const expectedSha256 = normalizeSha256(options.expectedSha256);
      const sorted = sortPartList(parts);
      await this.assertAbsent(key);
      const completed = await this.s3.completeMultipartUpload(this.bucket, key, uploadId, sorted);
      // Parts arrive in any order, so nobody could hash the object on the way in: read it back, the very
      // version that gets locked where the bucket keeps versions.
      const stored = await sha256OfStream(await this.s3.getObject(this.bucket, key, undefined, completed.versionId));
      if (expectedSha256 !== undefined && stored.sha256 !== expectedSha256) {
        await this.discardUnverified(key, completed.versionId, expectedSha256, stored.sha256);
      }
      await this.applyObjectLock(key, completed.versionId);
      return { key, size: stored.size, etag: completed.etag, sha256: stored.sha256 };
    });
  }

  abortMultipart(key: string, uploadId: string): Promise<void> {
    return this.guard({ key, uploadId }, async () => {
      assertValidKey(key);
      try {
        await this.s3.abortMultipartUpload(this.bucket, key, uploadId);
      } catch (error) {
        // Already gone (aborted before, or completed) is what the caller wanted.
        if (errorCode(error) === 'NoSuchUpload') return;
        throw error;
      }
    });
  }

  putStream(key: string, body: Readable, options: PutStreamOptions = {}): Promise<StoredObject> {
    return this.guard({ key }, async () => {
      assertValidKey(key);
      const partSize = resolvePartSize(options.partSize, this.limits);
      const headers = this.objectHeaders(options.contentType, options.metadata);
      const expectedSha256 = normalizeSha256(options.expectedSha256);
      await this.assertAbsent(key);

      const uploadId = await this.s3.initiateMultipartUpload(this.bucket, key, headers);
      try {
        const hash = createHash('sha256');
        let size = 0;
        const parts: PartReference[] = [];
        const chunks = fixedSizeParts(body, partSize, (chunk) => {
          hash.update(chunk);
          size += chunk.length;
        });
        for await (const data of chunks) {
          const partNumber = parts.length + 1;
          if (partNumber > MAX_PART_NUMBER) {
            throw new InvalidArgumentError(`object exceeds ${MAX_PART_NUMBER} parts of ${partSize} bytes; use a larger partSize`);
          }
          const etag = await this.s3.uploadPart(this.bucket, key, uploadId, partNumber, data);
          parts.push({ partNumber, etag });
        }
        const sha256 = hash.digest('hex');
        if (expectedSha256 !== undefined && sha256 !== expectedSha256) {
          throw new DigestMismatchError(key, expectedSha256, sha256);
        }
        // The upload may have taken minutes; narrow the window on servers that ignore If-None-Match.
        await this.assertAbsent(key);
        const completed = await this.s3.completeMultipartUpload(this.bucket, key, uploadId, parts);
        await this.applyObjectLock(key, completed.versionId);
        return { key, size, etag: completed.etag, sha256 };
      } catch (error) {
        // Best effort: the original failure is what the caller needs to see, not a failed cleanup.
        await this.s3.abortMultipartUpload(this.bucket, key, uploadId).catch(() => undefined);
        throw error;
      }
    });
  }

  getStream(key: string, range?: ByteRange): Promise<Readable> {
    return this.guard({ key }, async () => {
      assertValidKey(key);
      assertValidRange(key, range);
      return this.s3.getObject(this.bucket, key, range);
    });
  }

  stat(key: string): Promise<ObjectStat> {
    return this.guard({ key }, async () => {
      assertValidKey(key);
      const head = await this.s3.headObject(this.bucket, key);
      const metadata: Record<string, string> = {};
      for (const [name, value] of Object.entries(head.userMetadata)) metadata[name] = decodeMetadataValue(value);
      return {
        key,
        size: head.size,
        etag: head.etag,
        contentType: head.contentType ?? DEFAULT_CONTENT_TYPE,
        metadata,
        lastModified: head.lastModified,
      };
    });
  }

  exists(key: string): Promise<boolean> {
    return this.guard({ key }, async () => {
      assertValidKey(key);
      try {
        await this.s3.headObject(this.bucket, key);
        return true;
      } catch (error) {
        if (toStorageError(error, this.context(key)) instanceof ObjectNotFoundError) return false;
        throw error;
      }
    });
  }

  sha256Of(key: string): Promise<string> {
    return this.guard({ key }, async () => {
      assertValidKey(key);
      return (await sha256OfStream(await this.s3.getObject(this.bucket, key))).sha256;
    });
  }

  presignedGetUrl(key: string, ttlSeconds: number): Promise<string | undefined> {
    return this.guard({ key }, async () => {
      assertValidKey(key);
      assertValidTtl(ttlSeconds);
      return this.s3.presignedGetObject(this.bucket, key, ttlSeconds);
    });
  }

  private objectHeaders(contentType: string | undefined, metadata: InitiateMultipartOptions['metadata']): Record<string, string> {
    const headers: Record<string, string> = { 'Content-Type': normalizeContentType(contentType) };
    for (const [name, value] of Object.entries(normalizeMetadata(metadata))) {
      headers[`X-Amz-Meta-${name}`] = encodeURIComponent(value);
    }
    return headers;
  }

  private async assertAbsent(key: string): Promise<void> {
    if (await this.exists(key)) throw new ObjectExistsError(key);
  }

  /**
   * Only reached for an object this very call created, so removing it never touches an original. Its version
   * is removed, where the bucket keeps versions, so that the unverified bytes do not linger under a delete
   * marker; it is not locked yet, object lock being applied only to verified objects.
   */
  private async discardUnverified(
    key: string,
    versionId: string | undefined,
    expectedSha256: string,
    actualSha256: string,
  ): Promise<never> {
    try {
      await this.s3.removeObject(this.bucket, key, versionId);
    } catch (error) {
      throw new StorageUnavailableError(
        `object '${key}' failed its digest check (expected ${expectedSha256}, got ${actualSha256}) ` + 'and could not be removed',
        { cause: error },
      );
    }
    throw new DigestMismatchError(key, expectedSha256, actualSha256);
  }

  private async applyObjectLock(key: string, versionId: string | undefined): Promise<void> {
    if (!this.objectLock) return;
    await this.s3.setLegalHold(this.bucket, key, versionId);
    if (this.retention !== undefined) {
      const retainUntil = new Date(Date.now() + this.retention.days * DAY_MS);
      await this.s3.putRetention(this.bucket, key, versionId, this.retention.mode, retainUntil);
    }
  }

  private async bucketHasObjectLock(): Promise<boolean> {
    try {
      return await this.s3.isObjectLockEnabled(this.bucket);
    } catch (error) {
      if (errorCode(error) === 'ObjectLockConfigurationNotFoundError') return false;
      throw error;
    }
  }

  private context(key?: string, uploadId?: string): S3ErrorContext {
    return { bucket: this.bucket, key, uploadId, minPartSize: this.limits.minPartSize };
  }

  private async guard<T>(scope: { key?: string; uploadId?: string }, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw toStorageError(error, this.context(scope.key, scope.uploadId));
    }
  }
}

/** Values are percent-encoded on the way in (headers are ASCII); a value we did not write stays as is. */
function decodeMetadataValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
