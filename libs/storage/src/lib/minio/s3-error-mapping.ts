import { S3Error } from 'minio';
import {
  InvalidPartError,
  InvalidRangeError,
  isStorageError,
  ObjectExistsError,
  ObjectNotFoundError,
  PartTooSmallError,
  StorageUnavailableError,
  UploadNotFoundError,
} from '../storage.errors';

export interface S3ErrorContext {
  bucket: string;
  key?: string;
  uploadId?: string;
  minPartSize: number;
}

// Socket-level failures: the server is down, unreachable or dropped us.
const NETWORK_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * Translates what minio throws into the port's typed errors. Anything S3 says that the port has no
 * name for (AccessDenied, NoSuchBucket, SlowDown, InternalError, ...) means the store is not serving us:
 * STORAGE_UNAVAILABLE with the original as cause. Programming errors (TypeError and the like) pass through.
 */
export function toStorageError(error: unknown, context: S3ErrorContext): unknown {
  if (isStorageError(error)) return error;
  const code = errorCode(error);
  const key = context.key ?? '';
  switch (code) {
    case 'NoSuchKey':
    case 'NotFound':
      return new ObjectNotFoundError(key, { cause: error });
    case 'NoSuchUpload':
      return new UploadNotFoundError(context.uploadId ?? '', { cause: error });
    case 'InvalidPart':
    case 'InvalidPartOrder':
      return new InvalidPartError(undefined, messageOf(error), { cause: error });
    case 'EntityTooSmall':
      return new PartTooSmallError(undefined, undefined, context.minPartSize, { cause: error });
    case 'InvalidRange':
      return new InvalidRangeError(key, 'range not satisfiable', { cause: error });
    // Only our conditional completion (If-None-Match: *) can fail a precondition.
    case 'PreconditionFailed':
      return new ObjectExistsError(key, { cause: error });
    case 'NoSuchBucket':
      return new StorageUnavailableError(`bucket '${context.bucket}' does not exist`, { cause: error });
  }
  if (code !== undefined && NETWORK_ERRNOS.has(code)) {
    return new StorageUnavailableError(`object storage unreachable: ${code}`, { cause: error });
  }
  if (isS3Error(error) || isExhaustedRetry(error)) {
    return new StorageUnavailableError(`object storage failed: ${code || messageOf(error)}`, { cause: error });
  }
  return error;
}

/** minio's S3Error with the code set, for S3 errors we detect ourselves (e.g. an <Error> inside a 200). */
export class S3ErrorWithCode extends S3Error {
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isS3Error(error: unknown): boolean {
  // Checked by name as well as class: minio ships ESM and CJS builds whose S3Error classes differ.
  return error instanceof S3Error || (error instanceof Error && error.name === 'S3Error');
}

/** minio retries 5xx/429 ten times with backoff and then throws a bare Error that has lost the S3 code. */
function isExhaustedRetry(error: unknown): boolean {
  return error instanceof Error && /^Request failed after \d+ retries|Retries exhausted/.test(error.message);
}
