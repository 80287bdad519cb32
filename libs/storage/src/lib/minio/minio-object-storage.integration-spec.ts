import { startS3Server, type S3Server } from '@enforcement/testing';
import { describeObjectStorageContract } from '../object-storage.contract';
import { StorageErrorCode } from '../storage.errors';
import { MinioObjectStorage, type MinioObjectStorageOptions } from './minio-object-storage';

const BUCKET = 'evidence';

let server: S3Server;

beforeAll(async () => {
  server = await startS3Server({ buckets: [BUCKET] });
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

describeObjectStorageContract('MinioObjectStorage on s3rver', async () => new MinioObjectStorage(options()), {
  strictMultipart: false,
  presignedUrls: true,
});

describe(MinioObjectStorage.name, () => {
  it('creates a missing bucket', async () => {
    const sut = new MinioObjectStorage(options({ bucket: 'created-on-demand' }));
    await expect(sut.ping()).rejects.toMatchObject({ code: StorageErrorCode.StorageUnavailable });

    await sut.ensureBucket();

    await expect(sut.ping()).resolves.toBeUndefined();
  });

  it('reports an unreachable server as STORAGE_UNAVAILABLE', async () => {
    const sut = new MinioObjectStorage(options({ port: 1 }));

    await expect(sut.ping()).rejects.toMatchObject({ code: StorageErrorCode.StorageUnavailable });
    await expect(sut.stat('k')).rejects.toMatchObject({ code: StorageErrorCode.StorageUnavailable });
  });

  // s3rver checks the access key but not V4 signatures, so only an unknown access key is refused there.
  it('reports rejected credentials as STORAGE_UNAVAILABLE', async () => {
    const sut = new MinioObjectStorage(options({ accessKey: 'NOBODY' }));

    await expect(sut.stat('k')).rejects.toMatchObject({ code: StorageErrorCode.StorageUnavailable });
  });

  it('refuses an invalid bucket name at construction', () => {
    expect(() => new MinioObjectStorage(options({ bucket: 'Bad_Bucket' }))).toThrow(
      expect.objectContaining({ code: StorageErrorCode.InvalidArgument }),
    );
  });

  it('refuses a retention period without object lock', () => {
    expect(() => new MinioObjectStorage(options({ objectLockRetention: { mode: 'COMPLIANCE', days: 30 } }))).toThrow(
      expect.objectContaining({ code: StorageErrorCode.InvalidArgument }),
    );
  });
});
