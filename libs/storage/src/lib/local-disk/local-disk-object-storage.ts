import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createReadStream, constants as fsConstants } from 'node:fs';
import { access, chmod, link, lstat, mkdir, open, readFile, rename, rm, stat, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import type {
  ByteRange,
  CompleteMultipartOptions,
  InitiateMultipartOptions,
  ObjectStat,
  ObjectStorage,
  PartReference,
  PutStreamOptions,
  StorageLimits,
  StoredObject,
  UploadedPart,
  UploadPartOptions,
  UploadPartStreamOptions,
} from '../object-storage.port';
import {
  DigestMismatchError,
  InvalidKeyError,
  InvalidPartError,
  isStorageError,
  ObjectExistsError,
  ObjectNotFoundError,
  PartSizeMismatchError,
  PartTooLargeError,
  PartTooSmallError,
  StorageUnavailableError,
  UploadNotFoundError,
} from '../storage.errors';
import {
  assertValidKey,
  assertValidPartNumber,
  assertValidRange,
  assertValidTtl,
  bareEtag,
  checkedPartStream,
  DEFAULT_CONTENT_TYPE,
  normalizeContentType,
  normalizeMetadata,
  normalizeSha256,
  resolveLimits,
  resolvePartSize,
  resolveRange,
  sortPartList,
} from '../storage.validation';
import { asBytes, iterateWithoutDestroying, sha256OfStream } from '../stream-parts';

export interface LocalDiskObjectStorageOptions {
  /** Directory holding everything; created by ensureBucket(). Must be a single filesystem. */
  root: string;
  /**
   * Defaults to S3's 5 MiB so that embedded mode rejects exactly what MinIO would. Tests of callers may
   * lower it to keep fixtures small.
   */
  minPartSize?: number;
  maxPartSize?: number;
}

interface UploadManifest {
  key: string;
  contentType: string;
  metadata: Record<string, string>;
  initiatedAt: string;
}

interface ObjectSidecar {
  version: 1;
  key: string;
  size: number;
  sha256: string;
  etag: string;
  contentType: string;
  metadata: Record<string, string>;
  createdAt: string;
}

const UPLOAD_ID_PATTERN = /^[0-9a-f]{32}$/;
const MANIFEST_FILE = 'upload.json';
// Errors that mean "the disk will not serve us", as opposed to "this object or upload is not there".
const UNAVAILABLE_ERRNOS = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EIO', 'EMFILE', 'ENFILE', 'ENODEV']);
// Filesystems without hard links answer link() with one of these; see commitNoClobber.
const NO_HARDLINK_ERRNOS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/**
 * Embedded-mode object storage on a local filesystem, with the same observable semantics as the MinIO
 * adapter. Layout under `root`:
 *
 *   objects/<key>                      the object bytes (read-only file)
 *   .meta/<key>                        JSON sidecar: content type, metadata, digest
 *   .uploads/<uploadId>/upload.json    an open multipart upload
 *   .uploads/<uploadId>/<n>.part       its parts
 *
 * The sidecar tree mirrors the object tree without a suffix so that it cannot collide where the object
 * tree does not. An object becomes visible by a hard link from a fully written, fsynced temporary file:
 * link() is atomic and, unlike rename(), refuses to replace an existing file, which is what makes
 * "originals are never overwritten" hold even for two racing completions.
 */
export class LocalDiskObjectStorage implements ObjectStorage {
  readonly driver = 'local' as const;
  readonly limits: StorageLimits;
  private readonly objectsDir: string;
  private readonly metaDir: string;
  private readonly uploadsDir: string;

  constructor(options: LocalDiskObjectStorageOptions) {
    const root = path.resolve(options.root);
    this.limits = resolveLimits(options, 1);
    this.objectsDir = path.join(root, 'objects');
    this.metaDir = path.join(root, '.meta');
    this.uploadsDir = path.join(root, '.uploads');
  }

  ensureBucket(): Promise<void> {
    return this.guard(async () => {
      for (const dir of [this.objectsDir, this.metaDir, this.uploadsDir]) await mkdir(dir, { recursive: true });
    });
  }

  async ping(): Promise<void> {
    for (const dir of [this.objectsDir, this.metaDir, this.uploadsDir]) {
      try {
        await access(dir, fsConstants.R_OK | fsConstants.W_OK);
      } catch (error) {
        throw new StorageUnavailableError(`local storage directory '${dir}' is not usable`, { cause: error });
      }
    }
  }

  initiateMultipart(key: string, options: InitiateMultipartOptions = {}): Promise<string> {
    return this.guard(async () => {
      assertValidKey(key);
      const manifest: UploadManifest = {
        key,
        contentType: normalizeContentType(options.contentType),
        metadata: normalizeMetadata(options.metadata),
        initiatedAt: new Date().toISOString(),
      };
      if (await this.exists(key)) throw new ObjectExistsError(key);
      const uploadId = randomBytes(16).toString('hex');
      const dir = this.uploadDir(uploadId);
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest));
      return uploadId;
    });
  }

  uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    body: Readable | Buffer,
    options: UploadPartOptions = {},
  ): Promise<UploadedPart> {
    return this.guard(async () => {
      assertValidKey(key);
      assertValidPartNumber(partNumber);
      // Hashing while writing costs nothing extra here, so a caller's digest is checked rather than trusted.
      return this.storePart(key, uploadId, partNumber, body, normalizeSha256(options.sha256), (size) => {
        if (size > this.limits.maxPartSize) throw new PartTooLargeError(partNumber, this.limits.maxPartSize);
      });
    });
  }

  uploadPartStream(
    key: string,
    uploadId: string,
    partNumber: number,
    body: Readable,
    options: UploadPartStreamOptions,
  ): Promise<UploadedPart> {
    return this.guard(async () => {
      const { size: expected, expectedSha256 } = checkedPartStream(key, partNumber, options, this.limits);
      // The part file is written as the bytes come (one chunk in memory at a time) and only renamed into place
      // once it has exactly the announced size and digest.
      return this.storePart(key, uploadId, partNumber, body, expectedSha256, (size, done) => {
        if (size > expected || (done && size < expected)) throw new PartSizeMismatchError(partNumber, expected, size);
      });
    });
  }

  /**
   * Writes a part under a unique temporary name and renames it into place, so a retried part replaces the old
   * one whole, a concurrent retry of the same number cannot interleave bytes, and a refused attempt (too long,
   * too short, wrong digest, broken body) leaves the earlier one untouched.
   */
  private async storePart(
    key: string,
    uploadId: string,
    partNumber: number,
    body: Readable | Buffer,
    expectedSha256: string | undefined,
    checkSize: (size: number, done: boolean) => void,
  ): Promise<UploadedPart> {
    const dir = this.uploadDir(uploadId);
    await this.readManifest(key, uploadId);
    const temporary = path.join(dir, `${partNumber}.part.${randomBytes(6).toString('hex')}.tmp`);
    const written = await this.writeFileFrom(temporary, body, checkSize);
    if (expectedSha256 !== undefined && expectedSha256 !== written.sha256) {
      await rm(temporary, { force: true });
      throw new DigestMismatchError(key, expectedSha256, written.sha256);
    }
    try {
      await rename(temporary, this.partPath(uploadId, partNumber));
    } catch (error) {
      await rm(temporary, { force: true });
      if (errnoOf(error) === 'ENOENT') throw new UploadNotFoundError(uploadId, { cause: error });
      throw error;
    }
    return { partNumber, etag: written.sha256, size: written.size, sha256: written.sha256 };
  }

  completeMultipart(
    key: string,
    uploadId: string,
    parts: readonly PartReference[],
    options: CompleteMultipartOptions = {},
  ): Promise<StoredObject> {
    return this.guard(async () => {
      assertValidKey(key);
      const expectedSha256 = normalizeSha256(options.expectedSha256);
      const sorted = sortPartList(parts);
      const manifest = await this.readManifest(key, uploadId);
      await this.assertPartSizes(uploadId, sorted);
      if (await this.exists(key)) throw new ObjectExistsError(key);

      const temporary = path.join(this.uploadDir(uploadId), `object.${randomBytes(6).toString('hex')}.tmp`);
      let assembled: { size: number; sha256: string };
      try {
        assembled = await this.concatenateParts(uploadId, sorted, temporary);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
      if (expectedSha256 !== undefined && assembled.sha256 !== expectedSha256) {
        // Same outcome as on S3, where the check can only happen after assembly: the upload is used up.
        await rm(this.uploadDir(uploadId), { recursive: true, force: true });
        throw new DigestMismatchError(key, expectedSha256, assembled.sha256);
      }
      try {
        await this.commitNoClobber(key, temporary, {
          version: 1,
          key,
          size: assembled.size,
          sha256: assembled.sha256,
          etag: assembled.sha256,
          contentType: manifest.contentType,
          metadata: manifest.metadata,
          createdAt: new Date().toISOString(),
        });
      } catch (error) {
        // Losing to another writer leaves the upload open, as a failed precondition does on S3.
        await rm(temporary, { force: true });
        throw error;
      }
      await rm(this.uploadDir(uploadId), { recursive: true, force: true });
      return { key, size: assembled.size, etag: assembled.sha256, sha256: assembled.sha256 };
    });
  }

  abortMultipart(key: string, uploadId: string): Promise<void> {
    return this.guard(async () => {
      assertValidKey(key);
      try {
        await this.readManifest(key, uploadId);
      } catch (error) {
        if (error instanceof UploadNotFoundError) return;
        throw error;
      }
      await rm(this.uploadDir(uploadId), { recursive: true, force: true });
    });
  }

  putStream(key: string, body: Readable, options: PutStreamOptions = {}): Promise<StoredObject> {
    return this.guard(async () => {
      assertValidKey(key);
      // Validated for parity with MinIO although a local write never needs to buffer a part.
      resolvePartSize(options.partSize, this.limits);
      const contentType = normalizeContentType(options.contentType);
      const metadata = normalizeMetadata(options.metadata);
      const expectedSha256 = normalizeSha256(options.expectedSha256);
      if (await this.exists(key)) throw new ObjectExistsError(key);

      // A private upload directory keeps a crash's leftovers where abandoned uploads are swept.
      const dir = this.uploadDir(randomBytes(16).toString('hex'));
      await mkdir(dir, { recursive: true });
      try {
        const temporary = path.join(dir, 'object.tmp');
        const written = await this.writeFileFrom(temporary, body, () => undefined, { ownsBody: true });
        if (expectedSha256 !== undefined && written.sha256 !== expectedSha256) {
          throw new DigestMismatchError(key, expectedSha256, written.sha256);
        }
        await this.commitNoClobber(key, temporary, {
          version: 1,
          key,
          size: written.size,
          sha256: written.sha256,
          etag: written.sha256,
          contentType,
          metadata,
          createdAt: new Date().toISOString(),
        });
        return { key, size: written.size, etag: written.sha256, sha256: written.sha256 };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }

  getStream(key: string, range?: ByteRange): Promise<Readable> {
    return this.guard(async () => {
      assertValidKey(key);
      assertValidRange(key, range);
      const handle = await this.openObject(key);
      try {
        const { size } = await handle.stat();
        const bounds = range === undefined ? undefined : resolveRange(key, range, size);
        return handle.createReadStream(bounds === undefined ? {} : { start: bounds.start, end: bounds.end });
      } catch (error) {
        await handle.close();
        throw error;
      }
    });
  }

  stat(key: string): Promise<ObjectStat> {
    return this.guard(async () => {
      assertValidKey(key);
      const info = await this.statObjectFile(key);
      if (info === undefined) throw new ObjectNotFoundError(key);
      const sidecar = await this.readSidecar(key);
      return {
        key,
        size: info.size,
        // A crash between link() and the sidecar rename leaves an object without one; still serve it.
        etag: sidecar?.etag ?? `${info.size.toString(16)}-${Math.trunc(info.mtimeMs).toString(16)}`,
        contentType: sidecar?.contentType ?? DEFAULT_CONTENT_TYPE,
        metadata: sidecar?.metadata ?? {},
        lastModified: new Date(info.mtimeMs),
      };
    });
  }

  exists(key: string): Promise<boolean> {
    return this.guard(async () => {
      assertValidKey(key);
      return (await this.statObjectFile(key)) !== undefined;
    });
  }

  sha256Of(key: string): Promise<string> {
    return this.guard(async () => (await sha256OfStream(await this.getStream(key))).sha256);
  }

  async presignedGetUrl(key: string, ttlSeconds: number): Promise<string | undefined> {
    assertValidKey(key);
    assertValidTtl(ttlSeconds);
    return undefined;
  }

  // --- paths ---------------------------------------------------------------------------------------------

  private objectPath(key: string): string {
    return this.within(this.objectsDir, key);
  }

  private sidecarPath(key: string): string {
    return this.within(this.metaDir, key);
  }

  private uploadDir(uploadId: string): string {
    if (!UPLOAD_ID_PATTERN.test(uploadId)) throw new UploadNotFoundError(uploadId);
    return path.join(this.uploadsDir, uploadId);
  }

  private partPath(uploadId: string, partNumber: number): string {
    return path.join(this.uploadDir(uploadId), `${partNumber}.part`);
  }

  /** Keys are validated already; this is the second lock on the door against escaping the root. */
  private within(base: string, key: string): string {
    const resolved = path.join(base, ...key.split('/'));
    if (!resolved.startsWith(base + path.sep)) throw new InvalidKeyError(key, 'resolves outside the storage root');
    return resolved;
  }

  // --- uploads -------------------------------------------------------------------------------------------

  private async readManifest(key: string, uploadId: string): Promise<UploadManifest> {
    const file = path.join(this.uploadDir(uploadId), MANIFEST_FILE);
    let manifest: UploadManifest;
    try {
      manifest = JSON.parse(await readFile(file, 'utf8')) as UploadManifest;
    } catch (error) {
      // A missing or half-written manifest both mean there is no usable upload under that id.
      if (errnoOf(error) === 'ENOENT' || error instanceof SyntaxError) {
        throw new UploadNotFoundError(uploadId, { cause: error });
      }
      throw error;
    }
    // As on S3, an upload id only exists together with the key it was started for.
    if (manifest.key !== key) throw new UploadNotFoundError(uploadId);
    return manifest;
  }

  private async assertPartSizes(uploadId: string, parts: readonly PartReference[]): Promise<void> {
    for (const [index, part] of parts.entries()) {
      let size: number;
      try {
        size = (await stat(this.partPath(uploadId, part.partNumber))).size;
      } catch (error) {
        if (errnoOf(error) === 'ENOENT') {
          throw new InvalidPartError(part.partNumber, 'was not uploaded', { cause: error });
        }
        throw error;
      }
      if (index < parts.length - 1 && size < this.limits.minPartSize) {
        throw new PartTooSmallError(part.partNumber, size, this.limits.minPartSize);
      }
    }
  }

  /** Streams the parts into one file, checking each part against its ETag on the way. */
  private async concatenateParts(
    uploadId: string,
    parts: readonly PartReference[],
    target: string,
  ): Promise<{ size: number; sha256: string }> {
    const whole = createHash('sha256');
    let size = 0;
    const handle = await open(target, 'wx');
    try {
      for (const part of parts) {
        const partHash = createHash('sha256');
        for await (const raw of createReadStream(this.partPath(uploadId, part.partNumber))) {
          const chunk = asBytes(raw);
          partHash.update(chunk);
          whole.update(chunk);
          size += chunk.length;
          await writeAll(handle, chunk);
        }
        if (partHash.digest('hex') !== bareEtag(part.etag).toLowerCase()) {
          throw new InvalidPartError(part.partNumber, 'ETag does not match the uploaded part (replaced since?)');
        }
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    return { size, sha256: whole.digest('hex') };
  }

  /**
   * Writes a body to a new file with its SHA-256, fsynced. `checkSize` sees the running size before each
   * chunk is written and the final one (`done`) before the file is synced; it may throw to stop, and the
   * partial file is removed. A caller's stream is not destroyed when we stop (see ObjectStorage.uploadPart),
   * a stream handed over to putStream is.
   */
  private async writeFileFrom(
    file: string,
    body: Readable | Buffer,
    checkSize: (size: number, done: boolean) => void,
    { ownsBody = false }: { ownsBody?: boolean } = {},
  ): Promise<{ size: number; sha256: string }> {
    const hash: Hash = createHash('sha256');
    let size = 0;
    let handle: FileHandle;
    try {
      handle = await open(file, 'wx');
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') {
        throw new UploadNotFoundError(path.basename(path.dirname(file)), { cause: error });
      }
      throw error;
    }
    try {
      const chunks: AsyncIterable<unknown> | Buffer[] = Buffer.isBuffer(body) ? [body] : ownsBody ? body : iterateWithoutDestroying(body);
      for await (const raw of chunks) {
        const chunk = asBytes(raw);
        size += chunk.length;
        checkSize(size, false);
        hash.update(chunk);
        await writeAll(handle, chunk);
      }
      checkSize(size, true);
      await handle.sync();
      await handle.close();
    } catch (error) {
      await handle.close().catch(() => undefined);
      await rm(file, { force: true });
      throw error;
    }
    return { size, sha256: hash.digest('hex') };
  }

  // --- objects -------------------------------------------------------------------------------------------

  /**
   * Publishes a complete temporary file as `key` without ever replacing an existing object. The sidecar
   * goes in after the data: only the winner of link() may write it, so a losing racer cannot clobber the
   * winner's metadata.
   */
  private async commitNoClobber(key: string, temporary: string, sidecar: ObjectSidecar): Promise<void> {
    const objectPath = this.objectPath(key);
    const sidecarPath = this.sidecarPath(key);
    await this.makeParent(key, objectPath);
    await this.makeParent(key, sidecarPath);
    // Originals are read-only on disk as well, a guard against tools and people, not just this code.
    await chmod(temporary, 0o444);
    try {
      await link(temporary, objectPath);
    } catch (error) {
      const errno = errnoOf(error);
      if (errno === 'EEXIST') throw await this.existsError(key, objectPath, error);
      if (errno === undefined || !NO_HARDLINK_ERRNOS.has(errno)) throw error;
      // Without hard links (FAT, some network mounts) fall back to check-then-rename: still never a
      // knowing overwrite, but two racing writers of one key are no longer told apart.
      if ((await this.statObjectFile(key)) !== undefined) throw new ObjectExistsError(key, { cause: error });
      await rename(temporary, objectPath);
    }
    const sidecarTemporary = `${temporary}.meta`;
    await writeFile(sidecarTemporary, JSON.stringify(sidecar));
    await rename(sidecarTemporary, sidecarPath);
    await unlink(temporary).catch(() => undefined);
    await fsyncDirectory(path.dirname(objectPath));
    await fsyncDirectory(path.dirname(sidecarPath));
  }

  private async makeParent(key: string, file: string): Promise<void> {
    try {
      await mkdir(path.dirname(file), { recursive: true });
    } catch (error) {
      const errno = errnoOf(error);
      if (errno === 'EEXIST' || errno === 'ENOTDIR') {
        throw new InvalidKeyError(key, 'a prefix of this key is itself an object', { cause: error });
      }
      throw error;
    }
  }

  private async existsError(key: string, objectPath: string, cause: unknown): Promise<Error> {
    const existing = await lstat(objectPath).catch(() => undefined);
    if (existing?.isDirectory()) {
      return new InvalidKeyError(key, 'other objects exist under this key as a prefix', { cause });
    }
    return new ObjectExistsError(key, { cause });
  }

  private async statObjectFile(key: string): Promise<{ size: number; mtime: Date; mtimeMs: number } | undefined> {
    try {
      const info = await stat(this.objectPath(key));
      return info.isFile() ? info : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  private async openObject(key: string): Promise<FileHandle> {
    let handle: FileHandle;
    try {
      handle = await open(this.objectPath(key), 'r');
    } catch (error) {
      if (isMissing(error) || errnoOf(error) === 'EISDIR') throw new ObjectNotFoundError(key, { cause: error });
      throw error;
    }
    // Opening a directory read-only succeeds on Linux; a key that is only a prefix is still not an object.
    if (!(await handle.stat()).isFile()) {
      await handle.close();
      throw new ObjectNotFoundError(key);
    }
    return handle;
  }

  private async readSidecar(key: string): Promise<ObjectSidecar | undefined> {
    try {
      return JSON.parse(await readFile(this.sidecarPath(key), 'utf8')) as ObjectSidecar;
    } catch (error) {
      if (isMissing(error) || error instanceof SyntaxError) return undefined;
      throw error;
    }
  }

  /** Every public call goes through here so that disk trouble surfaces as STORAGE_UNAVAILABLE. */
  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (isStorageError(error)) throw error;
      const errno = errnoOf(error);
      if (errno !== undefined && UNAVAILABLE_ERRNOS.has(errno)) {
        throw new StorageUnavailableError(`local storage failed: ${errno}`, { cause: error });
      }
      throw error;
    }
  }
}

function errnoOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

function isMissing(error: unknown): boolean {
  const errno = errnoOf(error);
  return errno === 'ENOENT' || errno === 'ENOTDIR';
}

async function writeAll(handle: FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}

/** Makes a rename or link durable; platforms that cannot open directories (Windows) simply skip it. */
async function fsyncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Best effort by design: the data itself was fsynced before it was linked.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
