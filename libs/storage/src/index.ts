export * from './lib/object-storage.port';
export * from './lib/storage.errors';
export {
  DEFAULT_CONTENT_TYPE,
  DEFAULT_MAX_PART_SIZE,
  DEFAULT_PART_SIZE,
  MAX_PART_NUMBER,
  MAX_PRESIGN_TTL_SECONDS,
  S3_MIN_PART_SIZE,
} from './lib/storage.validation';
export { LocalDiskObjectStorage, type LocalDiskObjectStorageOptions } from './lib/local-disk/local-disk-object-storage';
export { MinioObjectStorage, type MinioObjectStorageOptions } from './lib/minio/minio-object-storage';
export { createObjectStorage, type ObjectStorageConfig } from './lib/create-object-storage';
