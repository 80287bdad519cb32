import type { ByteRange, ObjectMetadata, PartReference, StorageLimits, UploadPartStreamOptions } from './object-storage.port';
import { InvalidArgumentError, InvalidKeyError, InvalidPartError, InvalidRangeError, PartTooLargeError } from './storage.errors';

const MiB = 1024 * 1024;

/** S3's floor for every part but the last. */
export const S3_MIN_PART_SIZE = 5 * MiB;
/**
 * One in-flight part is buffered in memory by the MinIO adapter; 16 MiB keeps a few concurrent part uploads
 * well inside the 64 MiB budget for a 1 GiB evidence upload.
 */
export const DEFAULT_MAX_PART_SIZE = 16 * MiB;
export const DEFAULT_PART_SIZE = 8 * MiB;
export const MAX_PART_NUMBER = 10_000;
/** SigV4 presigned URLs are valid for at most seven days. */
export const MAX_PRESIGN_TTL_SECONDS = 7 * 24 * 60 * 60;
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

const MAX_KEY_BYTES = 1024;
// Filesystems cap a path component at 255 bytes; enforcing it everywhere keeps the drivers interchangeable.
const MAX_SEGMENT_BYTES = 255;
// AWS's "safe characters" for keys: no escaping questions in URLs, headers or file names on any platform.
const SEGMENT_PATTERN = /^[A-Za-z0-9!_.*'()-]+$/;
const METADATA_KEY_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
// S3 counts user metadata (names and values) against a 2 KiB limit.
const MAX_METADATA_BYTES = 2048;
const CONTENT_TYPE_PATTERN = /^[\x21-\x7e][\x20-\x7e]{0,254}$/;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;

export function assertValidKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidKeyError(String(key), 'must be a non-empty string');
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new InvalidKeyError(key, `longer than ${MAX_KEY_BYTES} bytes`);
  for (const segment of key.split('/')) {
    if (segment.length === 0) throw new InvalidKeyError(key, 'empty segment (leading, trailing or double slash)');
    if (segment === '.' || segment === '..') throw new InvalidKeyError(key, `'${segment}' segments are not allowed`);
    if (!SEGMENT_PATTERN.test(segment)) {
      throw new InvalidKeyError(key, "segments may only contain A-Z a-z 0-9 and ! _ . * ' ( ) -");
    }
    if (segment.length > MAX_SEGMENT_BYTES) {
      throw new InvalidKeyError(key, `segment longer than ${MAX_SEGMENT_BYTES} bytes`);
    }
  }
}

export function assertValidPartNumber(partNumber: number): void {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    throw new InvalidArgumentError(`part number must be an integer from 1 to ${MAX_PART_NUMBER}, got ${partNumber}`);
  }
}

export function normalizeContentType(contentType: string | undefined): string {
  if (contentType === undefined) return DEFAULT_CONTENT_TYPE;
  if (!CONTENT_TYPE_PATTERN.test(contentType)) {
    throw new InvalidArgumentError(`content type must be printable ASCII of at most 255 characters, got '${contentType}'`);
  }
  return contentType;
}

export function normalizeMetadata(metadata: ObjectMetadata | undefined): Record<string, string> {
  const normalized: Record<string, string> = {};
  let bytes = 0;
  for (const [name, value] of Object.entries(metadata ?? {})) {
    if (!METADATA_KEY_PATTERN.test(name)) {
      throw new InvalidArgumentError(`metadata key '${name}' must match ${METADATA_KEY_PATTERN.source}`);
    }
    if (typeof value !== 'string') throw new InvalidArgumentError(`metadata '${name}' must be a string`);
    bytes += Buffer.byteLength(name) + Buffer.byteLength(encodeURIComponent(value));
    normalized[name] = value;
  }
  if (bytes > MAX_METADATA_BYTES) {
    throw new InvalidArgumentError(`metadata takes ${bytes} bytes once encoded; the limit is ${MAX_METADATA_BYTES}`);
  }
  return normalized;
}

export function normalizeSha256(sha256: string | undefined): string | undefined {
  if (sha256 === undefined) return undefined;
  const lower = sha256.toLowerCase();
  if (!SHA256_PATTERN.test(lower)) {
    throw new InvalidArgumentError(`expected SHA-256 must be 64 hex digits, got '${sha256}'`);
  }
  return lower;
}

export function resolveLimits(options: { minPartSize?: number; maxPartSize?: number }, floor: number): StorageLimits {
  const minPartSize = options.minPartSize ?? S3_MIN_PART_SIZE;
  const maxPartSize = options.maxPartSize ?? DEFAULT_MAX_PART_SIZE;
  if (!Number.isSafeInteger(minPartSize) || minPartSize < floor) {
    throw new InvalidArgumentError(`minPartSize must be an integer of at least ${floor}, got ${minPartSize}`);
  }
  if (!Number.isSafeInteger(maxPartSize) || maxPartSize < minPartSize) {
    throw new InvalidArgumentError(`maxPartSize must be an integer of at least minPartSize (${minPartSize}), got ${maxPartSize}`);
  }
  return { minPartSize, maxPartSize };
}

export function resolvePartSize(partSize: number | undefined, limits: StorageLimits): number {
  const size = partSize ?? Math.min(Math.max(DEFAULT_PART_SIZE, limits.minPartSize), limits.maxPartSize);
  if (!Number.isSafeInteger(size) || size < limits.minPartSize || size > limits.maxPartSize) {
    throw new InvalidArgumentError(
      `partSize must be an integer from ${limits.minPartSize} to ${limits.maxPartSize} bytes, got ${partSize}`,
    );
  }
  return size;
}

/** The announced size of a streamed part: PART_TOO_LARGE above the limit, before any byte is read. */
export function assertValidPartSize(size: number, partNumber: number, limits: StorageLimits): void {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new InvalidArgumentError(`part size must be a non-negative integer, got ${size}`);
  }
  if (size > limits.maxPartSize) throw new PartTooLargeError(partNumber, limits.maxPartSize);
}

/**
 * The arguments of uploadPartStream, checked as every backend checks them before reading a byte: the key, the part
 * number and the announced size; returns the size and the expected digest, normalised.
 */
export function checkedPartStream(
  key: string,
  partNumber: number,
  options: UploadPartStreamOptions,
  limits: StorageLimits,
): { size: number; expectedSha256: string | undefined } {
  assertValidKey(key);
  assertValidPartNumber(partNumber);
  assertValidPartSize(options.size, partNumber, limits);
  return { size: options.size, expectedSha256: normalizeSha256(options.expectedSha256) };
}

export function assertValidTtl(ttlSeconds: number): void {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_PRESIGN_TTL_SECONDS) {
    throw new InvalidArgumentError(`ttlSeconds must be an integer from 1 to ${MAX_PRESIGN_TTL_SECONDS}, got ${ttlSeconds}`);
  }
}

/** Checks the shape of a range before any I/O; `resolveRange` then checks it against the object's size. */
export function assertValidRange(key: string, range: ByteRange | undefined): void {
  if (range === undefined) return;
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0) {
    throw new InvalidRangeError(key, `range start must be a non-negative integer, got ${start}`);
  }
  if (end !== undefined && (!Number.isSafeInteger(end) || end < start)) {
    throw new InvalidRangeError(key, `range end must be an integer not below start ${start}, got ${end}`);
  }
}

/** Inclusive offsets within an object of `size` bytes, clamped like HTTP; unsatisfiable ranges throw. */
export function resolveRange(key: string, range: ByteRange, size: number): { start: number; end: number } {
  assertValidRange(key, range);
  if (range.start >= size) {
    throw new InvalidRangeError(key, `range starts at ${range.start} but the object has ${size} bytes`);
  }
  return { start: range.start, end: Math.min(range.end ?? size - 1, size - 1) };
}

/** Sorted copy of a completion list, rejecting what S3 would reject before touching any data. */
export function sortPartList(parts: readonly PartReference[]): PartReference[] {
  if (!Array.isArray(parts) || parts.length === 0) {
    throw new InvalidPartError(undefined, 'a completion needs at least one part');
  }
  const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
  sorted.forEach((part, index) => {
    assertValidPartNumber(part.partNumber);
    if (typeof part.etag !== 'string' || part.etag.length === 0) {
      throw new InvalidPartError(part.partNumber, 'missing ETag');
    }
    if (index > 0 && sorted[index - 1].partNumber === part.partNumber) {
      throw new InvalidPartError(part.partNumber, 'listed twice');
    }
  });
  return sorted;
}

/** ETags travel quoted in S3 responses and sometimes in callers' hands; compare them bare. */
export function bareEtag(etag: string): string {
  return etag.replace(/^(?:"|&quot;|&#34;)+|(?:"|&quot;|&#34;)+$/g, '');
}
