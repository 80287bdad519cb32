import { createObjectStorage } from './create-object-storage';
import { LocalDiskObjectStorage } from './local-disk/local-disk-object-storage';
import { MinioObjectStorage } from './minio/minio-object-storage';

describe(createObjectStorage.name, () => {
  it('builds the local-disk adapter for driver local', () => {
    const sut = createObjectStorage({ driver: 'local', root: '/tmp/unused', minPartSize: 1024 });

    expect(sut).toBeInstanceOf(LocalDiskObjectStorage);
    expect(sut.limits.minPartSize).toBe(1024);
  });

  it('builds the MinIO adapter for driver minio, without connecting', () => {
    const sut = createObjectStorage({
      driver: 'minio',
      endPoint: '127.0.0.1',
      port: 9000,
      accessKey: 'a',
      secretKey: 'b',
      bucket: 'evidence',
    });

    expect(sut).toBeInstanceOf(MinioObjectStorage);
    expect(sut.driver).toBe('minio');
  });
});
