import { useS3, type TestS3 } from '@enforcement/testing';
import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'minio';
import { describeObjectStorageContract } from '../object-storage.contract';
import { StorageErrorCode } from '../storage.errors';
import { MinioObjectStorage, type MinioObjectStorageOptions } from './minio-object-storage';
import { MinioS3Client } from './minio-s3-client';

let s3: TestS3;

beforeAll(async () => {
  s3 = await useS3();
});

afterAll(async () => {
  // The shared S3 server keeps what suites leave in their buckets: the contract's 300 MiB go now.
  if (s3) await emptyBucket(s3);
  await s3?.release();
});

async function emptyBucket(server: TestS3): Promise<void> {
  const client = new Client({
    endPoint: server.host,
    port: server.port,
    useSSL: false,
    accessKey: server.accessKey,
    secretKey: server.secretKey,
    region: server.region,
  });
  const names: string[] = [];
  for await (const item of client.listObjectsV2(server.bucket, '', true) as AsyncIterable<{ name?: string }>) {
    if (item.name) names.push(item.name);
  }
  await client.removeObjects(server.bucket, names);
}

function options(overrides: Partial<MinioObjectStorageOptions> = {}): MinioObjectStorageOptions {
  return {
    endPoint: s3.host,
    port: s3.port,
    useSSL: false,
    accessKey: s3.accessKey,
    secretKey: s3.secretKey,
    bucket: s3.bucket,
    ...overrides,
  };
}

describeObjectStorageContract('MinioObjectStorage on versitygw', async (overrides) => new MinioObjectStorage(options(overrides)), {
  presignedUrls: true,
});

describe(MinioObjectStorage.name, () => {
  it('completes conditionally: a key taken after the last HEAD is refused by the server and the winner kept', async () => {
    const sut = new MinioObjectStorage(options());
    const direct = new Client({
      endPoint: s3.host,
      port: s3.port,
      useSSL: false,
      accessKey: s3.accessKey,
      secretKey: s3.secretKey,
      region: s3.region,
    });
    const key = `raced-after-head/${randomBytes(8).toString('hex')}`;
    const winner = randomBytes(300);
    const uploadId = await sut.initiateMultipart(key);
    const part = await sut.uploadPart(key, uploadId, 1, randomBytes(100));
    // Another writer gets in between the adapter's last HEAD and its completion: only If-None-Match stops it.
    const complete = MinioS3Client.prototype.completeMultipartUpload;
    const race = jest.spyOn(MinioS3Client.prototype, 'completeMultipartUpload').mockImplementationOnce(async function (
      this: MinioS3Client,
      ...args: Parameters<MinioS3Client['completeMultipartUpload']>
    ) {
      await direct.putObject(s3.bucket, key, winner);
      return complete.apply(this, args);
    });

    try {
      await expect(sut.completeMultipart(key, uploadId, [part])).rejects.toMatchObject({ code: StorageErrorCode.ObjectExists });
      expect(race).toHaveBeenCalledTimes(1);
    } finally {
      race.mockRestore();
    }

    expect(await sut.sha256Of(key)).toBe(createHash('sha256').update(winner).digest('hex'));
    await sut.abortMultipart(key, uploadId);
  });

  it('creates a missing bucket', async () => {
    const sut = new MinioObjectStorage(options({ bucket: `t-${randomBytes(6).toString('hex')}` }));
    await expect(sut.ping()).rejects.toMatchObject({ code: StorageErrorCode.StorageUnavailable });

    await sut.ensureBucket();

    await expect(sut.ping()).resolves.toBeUndefined();
  });

  it('reports an unreachable server as STORAGE_UNAVAILABLE', async () => {
    const sut = new MinioObjectStorage(options({ port: 1 }));

    await expect(sut.ping()).rejects.toMatchObject({ code: StorageErrorCode.StorageUnavailable });
    await expect(sut.stat('k')).rejects.toMatchObject({ code: StorageErrorCode.StorageUnavailable });
  });

  it('reports an unknown access key and a wrong secret as STORAGE_UNAVAILABLE', async () => {
    const unknown = new MinioObjectStorage(options({ accessKey: 'NOBODY' }));
    const wrongSecret = new MinioObjectStorage(options({ secretKey: `${s3.secretKey}x` }));

    await expect(unknown.stat('k')).rejects.toMatchObject({ code: StorageErrorCode.StorageUnavailable });
    await expect(wrongSecret.stat('k')).rejects.toMatchObject({ code: StorageErrorCode.StorageUnavailable });
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
