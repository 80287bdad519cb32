/**
 * Stable error codes of the storage port. Callers branch on `code` (never on messages or classes from a
 * driver), and the codes are safe to surface in API problem responses and logs.
 */
export const StorageErrorCode = {
  ObjectNotFound: 'OBJECT_NOT_FOUND',
  ObjectExists: 'OBJECT_EXISTS',
  DigestMismatch: 'DIGEST_MISMATCH',
  PartTooLarge: 'PART_TOO_LARGE',
  PartTooSmall: 'PART_TOO_SMALL',
  PartSizeMismatch: 'PART_SIZE_MISMATCH',
  InvalidPart: 'INVALID_PART',
  UploadNotFound: 'UPLOAD_NOT_FOUND',
  InvalidKey: 'INVALID_KEY',
  InvalidRange: 'INVALID_RANGE',
  InvalidArgument: 'INVALID_ARGUMENT',
  StorageUnavailable: 'STORAGE_UNAVAILABLE',
} as const;

export type StorageErrorCode = (typeof StorageErrorCode)[keyof typeof StorageErrorCode];

export abstract class StorageError extends Error {
  abstract readonly code: StorageErrorCode;

  protected constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ObjectNotFoundError extends StorageError {
  readonly code = StorageErrorCode.ObjectNotFound;

  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`object '${key}' does not exist`, options);
  }
}

/** Originals are immutable: a key that holds an object can never be written again. */
export class ObjectExistsError extends StorageError {
  readonly code = StorageErrorCode.ObjectExists;

  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`object '${key}' already exists and objects are never overwritten`, options);
  }
}

export class DigestMismatchError extends StorageError {
  readonly code = StorageErrorCode.DigestMismatch;

  constructor(
    readonly key: string,
    readonly expectedSha256: string,
    readonly actualSha256: string,
  ) {
    super(`object '${key}': expected SHA-256 ${expectedSha256} but the stored bytes hash to ${actualSha256}`);
  }
}

export class PartTooLargeError extends StorageError {
  readonly code = StorageErrorCode.PartTooLarge;

  constructor(
    readonly partNumber: number,
    readonly maxPartSize: number,
  ) {
    super(`part ${partNumber} exceeds the maximum part size of ${maxPartSize} bytes`);
  }
}

/**
 * A streamed part delivered fewer or more bytes than announced. Nothing was stored: an earlier attempt of the
 * same part number stays as it was.
 */
export class PartSizeMismatchError extends StorageError {
  readonly code = StorageErrorCode.PartSizeMismatch;

  /** `receivedSize` counts what arrived before the refusal: above `expectedSize` means the body ran over. */
  constructor(
    readonly partNumber: number,
    readonly expectedSize: number,
    readonly receivedSize: number,
  ) {
    super(
      `part ${partNumber} must have ${expectedSize} bytes but ` +
        (receivedSize > expectedSize ? `more arrived (at least ${receivedSize})` : `its body ended after ${receivedSize}`),
    );
  }
}

/** S3 rejects a multipart upload whose parts, other than the last, are below the minimum part size. */
export class PartTooSmallError extends StorageError {
  readonly code = StorageErrorCode.PartTooSmall;

  /** S3 does not say which part was too small, hence the optional number and size. */
  constructor(
    readonly partNumber: number | undefined,
    readonly size: number | undefined,
    readonly minPartSize: number,
    options?: { cause?: unknown },
  ) {
    super(
      `${partNumber === undefined ? 'a part' : `part ${partNumber}`}${size === undefined ? '' : ` (${size} bytes)`} ` +
        `is below the minimum part size of ${minPartSize} bytes; only the last part may be smaller`,
      options,
    );
  }
}

/** A part listed for completion was never uploaded, was replaced since (ETag differs), or is listed twice. */
export class InvalidPartError extends StorageError {
  readonly code = StorageErrorCode.InvalidPart;

  constructor(
    readonly partNumber: number | undefined,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(partNumber === undefined ? reason : `part ${partNumber}: ${reason}`, options);
  }
}

export class UploadNotFoundError extends StorageError {
  readonly code = StorageErrorCode.UploadNotFound;

  constructor(
    readonly uploadId: string,
    options?: { cause?: unknown },
  ) {
    super(`multipart upload '${uploadId}' does not exist (never started, completed or aborted)`, options);
  }
}

export class InvalidKeyError extends StorageError {
  readonly code = StorageErrorCode.InvalidKey;

  constructor(
    readonly key: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`invalid object key '${key}': ${reason}`, options);
  }
}

export class InvalidRangeError extends StorageError {
  readonly code = StorageErrorCode.InvalidRange;

  constructor(
    readonly key: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`object '${key}': ${reason}`, options);
  }
}

export class InvalidArgumentError extends StorageError {
  readonly code = StorageErrorCode.InvalidArgument;

  constructor(message: string) {
    super(message);
  }
}

/** The backend cannot be reached or refuses us (network, credentials, missing bucket, disk errors). */
export class StorageUnavailableError extends StorageError {
  readonly code = StorageErrorCode.StorageUnavailable;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function isStorageError(error: unknown, code?: StorageErrorCode): error is StorageError {
  return error instanceof StorageError && (code === undefined || error.code === code);
}
