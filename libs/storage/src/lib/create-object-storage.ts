import { LocalDiskObjectStorage, type LocalDiskObjectStorageOptions } from './local-disk/local-disk-object-storage';
import { MinioObjectStorage, type MinioObjectStorageOptions } from './minio/minio-object-storage';
import type { ObjectStorage } from './object-storage.port';

export type ObjectStorageConfig = ({ driver: 'local' } & LocalDiskObjectStorageOptions) | ({ driver: 'minio' } & MinioObjectStorageOptions);

/** Builds the adapter a validated configuration asks for; call ensureBucket() before serving. */
export function createObjectStorage(config: ObjectStorageConfig): ObjectStorage {
  switch (config.driver) {
    case 'local': {
      const { driver: _driver, ...options } = config;
      return new LocalDiskObjectStorage(options);
    }
    case 'minio': {
      const { driver: _driver, ...options } = config;
      return new MinioObjectStorage(options);
    }
    default:
      return assertNever(config);
  }
}

function assertNever(config: never): never {
  throw new Error(`unknown object storage driver in ${JSON.stringify(config)}`);
}
