import { S3Error } from 'minio';
import { StorageErrorCode } from '../storage.errors';
import { toStorageError } from './s3-error-mapping';

function s3Error(code: string): S3Error {
  const error = new S3Error(`${code} from server`);
  error.code = code;
  return error;
}

const context = { bucket: 'evidence', key: 'k', uploadId: 'u', minPartSize: 5 };

describe(toStorageError.name, () => {
  it.each([
    ['NoSuchKey', StorageErrorCode.ObjectNotFound],
    ['NotFound', StorageErrorCode.ObjectNotFound],
    ['NoSuchUpload', StorageErrorCode.UploadNotFound],
    ['InvalidPart', StorageErrorCode.InvalidPart],
    ['InvalidPartOrder', StorageErrorCode.InvalidPart],
    ['EntityTooSmall', StorageErrorCode.PartTooSmall],
    ['InvalidRange', StorageErrorCode.InvalidRange],
    ['PreconditionFailed', StorageErrorCode.ObjectExists],
    ['NoSuchBucket', StorageErrorCode.StorageUnavailable],
    ['AccessDenied', StorageErrorCode.StorageUnavailable],
    ['SlowDown', StorageErrorCode.StorageUnavailable],
  ])('maps S3 %s to %s', (code, expected) => {
    expect(toStorageError(s3Error(code), context)).toMatchObject({ code: expected });
  });

  it('maps socket failures and exhausted retries to STORAGE_UNAVAILABLE', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const exhausted = new Error('Request failed after 10 retries: Error: Retryable HTTP status: 503');

    expect(toStorageError(refused, context)).toMatchObject({ code: StorageErrorCode.StorageUnavailable, cause: refused });
    expect(toStorageError(exhausted, context)).toMatchObject({ code: StorageErrorCode.StorageUnavailable });
  });

  it('lets programming errors through unchanged', () => {
    const bug = new TypeError('x is not a function');

    expect(toStorageError(bug, context)).toBe(bug);
  });
});
