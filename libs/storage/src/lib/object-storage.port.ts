import type { Readable } from 'node:stream';

export type StorageDriver = 'local' | 'minio';

/**
 * User metadata stored with an object. Keys: lowercase `[a-z0-9-]`, starting with a letter or digit (S3
 * lower-cases header names, so anything else would not round-trip). Values: any string; the MinIO adapter
 * percent-encodes them because HTTP headers cannot carry non-ASCII text such as Chinese case titles.
 * At most 2 KiB in total, S3's limit for user metadata.
 */
export type ObjectMetadata = Readonly<Record<string, string>>;

export interface InitiateMultipartOptions {
  /** Defaults to application/octet-stream. */
  contentType?: string;
  metadata?: ObjectMetadata;
}

/** What uploadPart reports; pass it (or at least partNumber and etag) to completeMultipart. */
export interface UploadedPart {
  partNumber: number;
  /** Driver-specific part ETag (MD5 hex on S3, SHA-256 hex on local disk), without quotes. */
  etag: string;
  size: number;
  /** SHA-256 hex of the part's bytes, for per-chunk verification by the caller. */
  sha256: string;
}

export interface UploadPartOptions {
  /**
   * Hex SHA-256 of the part, when the caller hashed the bytes while receiving them: the adapter then does
   * not hash them again. It is what `UploadedPart.sha256` reports, and where the backend checks payload
   * digests (S3 over plain HTTP) a wrong value makes the part fail instead of being stored.
   */
  sha256?: string;
}

export interface UploadPartStreamOptions {
  /** Exact number of bytes the body must deliver; between 0 and limits.maxPartSize. */
  size: number;
  /**
   * Hex SHA-256 the part must have, e.g. one the client announced: on mismatch the call fails with
   * DIGEST_MISMATCH and nothing is stored.
   */
  expectedSha256?: string;
}

export interface PartReference {
  partNumber: number;
  etag: string;
}

export interface CompleteMultipartOptions {
  /**
   * Hex SHA-256 the whole object must have. On mismatch the completion fails with DIGEST_MISMATCH, the
   * upload is consumed (start a new one) and the object is not kept.
   */
  expectedSha256?: string;
}

export interface StoredObject {
  key: string;
  size: number;
  etag: string;
  /** SHA-256 hex computed from the bytes as stored (not as the client claimed them). */
  sha256: string;
}

export interface PutStreamOptions {
  /** Bytes per part, buffered at most once in memory. Between limits.minPartSize and limits.maxPartSize. */
  partSize?: number;
  contentType?: string;
  metadata?: ObjectMetadata;
  expectedSha256?: string;
}

/** Inclusive byte offsets, as in an HTTP Range header. `end` past the last byte is clamped; omitted = to EOF. */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface ObjectStat {
  key: string;
  size: number;
  etag: string;
  contentType: string;
  metadata: ObjectMetadata;
  lastModified: Date;
}

export interface StorageLimits {
  /** Smallest part accepted, other than the last part of an upload (S3: 5 MiB). */
  minPartSize: number;
  /** Largest part accepted; also the most memory one in-flight part may hold. */
  maxPartSize: number;
}

/**
 * Object storage for evidence originals.
 *
 * Invariants every adapter keeps:
 * - Objects are immutable: writing to a key that holds an object fails with OBJECT_EXISTS, atomically where
 *   the backend allows it.
 * - An object becomes visible only complete: an aborted or failed upload leaves nothing readable.
 * - Memory stays bounded by one part per in-flight buffered part upload (uploadPart), and by a few stream
 *   chunks per streamed one (uploadPartStream), whatever the object size.
 * - Every failure the adapter recognises is a StorageError with a stable `code` (see storage.errors.ts).
 *
 * Keys are `/`-separated segments of `[A-Za-z0-9!_.*'()-]`, each at most 255 bytes, no `.` or `..`
 * segments, at most 1024 bytes in total.
 */
export interface ObjectStorage {
  readonly driver: StorageDriver;
  readonly limits: StorageLimits;

  /** Creates the bucket (or directories) if missing. Idempotent; call once at start-up. */
  ensureBucket(): Promise<void>;

  /** Resolves when the backend is reachable and the bucket usable, else rejects with STORAGE_UNAVAILABLE. */
  ping(): Promise<void>;

  /** Starts a multipart upload and returns its id. Fails fast with OBJECT_EXISTS when the key is taken. */
  initiateMultipart(key: string, options?: InitiateMultipartOptions): Promise<string>;

  /**
   * Stores one part (1..10000), in any order; uploading the same number again replaces the part. A stream
   * body is read until it ends; if it exceeds limits.maxPartSize the call fails with PART_TOO_LARGE and the
   * stream is left as is (not destroyed), so an HTTP handler can still answer 413.
   */
  uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    body: Readable | Buffer,
    options?: UploadPartOptions,
  ): Promise<UploadedPart>;

  /**
   * Stores one part like uploadPart, but passes the bytes on to the backend while the body is still arriving
   * instead of reading the part into memory first, hashing them on the way; `sha256` in the result is that
   * digest, and where the backend can check a digest (S3: the part's x-amz-checksum-sha256 trailer) it has
   * checked it before storing the part. Memory stays bounded by a few stream chunks, whatever `size` is.
   *
   * The part is stored only when the body delivers exactly `size` bytes (and matches `expectedSha256` if
   * given). Otherwise nothing is stored, an earlier attempt of the same number stays as it was, and the call
   * fails: PART_SIZE_MISMATCH for a body that ends early or runs over (the body is then left as is, neither
   * drained nor destroyed, so an HTTP handler can still answer), DIGEST_MISMATCH, or with the body's own error
   * when it fails (a client that went away). PART_TOO_LARGE before reading anything for a size above
   * limits.maxPartSize.
   */
  uploadPartStream(
    key: string,
    uploadId: string,
    partNumber: number,
    body: Readable,
    options: UploadPartStreamOptions,
  ): Promise<UploadedPart>;

  /**
   * Assembles the listed parts (any order; sorted by number) into the object. Parts not listed are
   * discarded. Fails with OBJECT_EXISTS if the key was taken meanwhile, INVALID_PART / PART_TOO_SMALL for a
   * bad part list (the upload stays open to fix it), DIGEST_MISMATCH (see CompleteMultipartOptions).
   */
  completeMultipart(
    key: string,
    uploadId: string,
    parts: readonly PartReference[],
    options?: CompleteMultipartOptions,
  ): Promise<StoredObject>;

  /** Discards an upload and its parts. Idempotent: an unknown or finished upload is not an error. */
  abortMultipart(key: string, uploadId: string): Promise<void>;

  /**
   * Streams a whole object in parts of `partSize`, sequentially, hashing on the way. On any failure,
   * including a digest mismatch, the upload is aborted and nothing becomes visible.
   */
  putStream(key: string, body: Readable, options?: PutStreamOptions): Promise<StoredObject>;

  /** Reads an object or a byte range of it. Fails before streaming with OBJECT_NOT_FOUND / INVALID_RANGE. */
  getStream(key: string, range?: ByteRange): Promise<Readable>;

  stat(key: string): Promise<ObjectStat>;

  exists(key: string): Promise<boolean>;

  /** SHA-256 hex of the stored bytes, read back in a stream. */
  sha256Of(key: string): Promise<string>;

  /** A time-limited URL a client can GET directly, or undefined when the driver cannot serve one. */
  presignedGetUrl(key: string, ttlSeconds: number): Promise<string | undefined>;
}
