import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { describeObjectStorageContract } from '../object-storage.contract';
import { isStorageError, StorageErrorCode } from '../storage.errors';
import { LocalDiskObjectStorage } from './local-disk-object-storage';

const roots: string[] = [];
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function newRoot(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'local-object-storage-'));
  roots.push(root);
  return root;
}

afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

describeObjectStorageContract(
  'LocalDiskObjectStorage',
  async (overrides) => new LocalDiskObjectStorage({ root: await newRoot(), ...overrides }),
  {
    presignedUrls: false,
  },
);

describe(LocalDiskObjectStorage.name, () => {
  let root: string;
  let sut: LocalDiskObjectStorage;

  beforeEach(async () => {
    root = await newRoot();
    sut = new LocalDiskObjectStorage({ root, minPartSize: 4 });
    await sut.ensureBucket();
  });

  it('keeps parts in a per-upload directory and removes it on completion', async () => {
    const uploadId = await sut.initiateMultipart('cases/1/video');
    const second = await sut.uploadPart('cases/1/video', uploadId, 2, Buffer.from('world'));
    const first = await sut.uploadPart('cases/1/video', uploadId, 1, Buffer.from('hello '));

    expect((await readdir(path.join(root, '.uploads', uploadId))).sort()).toEqual(['1.part', '2.part', 'upload.json']);

    await sut.completeMultipart('cases/1/video', uploadId, [second, first]);

    expect(await readFile(path.join(root, 'objects', 'cases', '1', 'video'), 'utf8')).toBe('hello world');
    expect(await readdir(path.join(root, '.uploads'))).toEqual([]);
  });

  it('checks a digest the caller passes with a part instead of trusting it, and keeps the earlier attempt', async () => {
    const uploadId = await sut.initiateMultipart('cases/1/claimed');
    await sut.uploadPart('cases/1/claimed', uploadId, 1, Buffer.from('good'));

    const wrong = sut.uploadPart('cases/1/claimed', uploadId, 1, Buffer.from('evil'), { sha256: sha256(Buffer.from('good')) });

    await expect(wrong).rejects.toMatchObject({ code: StorageErrorCode.DigestMismatch });
    expect((await readdir(path.join(root, '.uploads', uploadId))).sort()).toEqual(['1.part', 'upload.json']);
    expect(await readFile(path.join(root, '.uploads', uploadId, '1.part'), 'utf8')).toBe('good');
  });

  it('stores originals read-only with a JSON sidecar', async () => {
    await sut.putStream('a/b', Readable.from([Buffer.from('evidence')]), { contentType: 'text/plain', metadata: { k: 'v' } });

    expect((await stat(path.join(root, 'objects', 'a', 'b'))).mode & 0o222).toBe(0);
    expect(JSON.parse(await readFile(path.join(root, '.meta', 'a', 'b'), 'utf8'))).toMatchObject({
      contentType: 'text/plain',
      metadata: { k: 'v' },
      size: 8,
    });
  });

  it('serves an object whose sidecar was lost in a crash, with defaults', async () => {
    await sut.putStream('lost/meta', Readable.from([Buffer.from('x')]), { contentType: 'text/plain' });
    await rm(path.join(root, '.meta', 'lost', 'meta'));

    expect(await sut.stat('lost/meta')).toMatchObject({ size: 1, contentType: 'application/octet-stream', metadata: {} });
  });

  it('leaves no temporary files behind after a failed put', async () => {
    await expect(sut.putStream('x', Readable.from([randomBytes(100)]), { expectedSha256: '0'.repeat(64) })).rejects.toMatchObject({
      code: StorageErrorCode.DigestMismatch,
    });

    expect(await readdir(path.join(root, '.uploads'))).toEqual([]);
    expect(await readdir(path.join(root, 'objects'))).toEqual([]);
  });

  it('rejects upload ids that are not its own, so they cannot address other paths', async () => {
    for (const uploadId of ['../objects', 'ABC', '']) {
      const error: unknown = await sut.uploadPart('k', uploadId, 1, Buffer.from('x')).catch((e: unknown) => e);
      expect(isStorageError(error, StorageErrorCode.UploadNotFound)).toBe(true);
    }
  });

  it('reports a key nested under an existing object as INVALID_KEY', async () => {
    await sut.putStream('parent', Readable.from([Buffer.from('x')]));

    await expect(sut.putStream('parent/child', Readable.from([Buffer.from('y')]))).rejects.toMatchObject({
      code: StorageErrorCode.InvalidKey,
    });
  });

  it('treats a key that is only a prefix of other objects as absent', async () => {
    await sut.putStream('dir/file', Readable.from([Buffer.from('x')]));

    expect(await sut.exists('dir')).toBe(false);
    await expect(sut.getStream('dir')).rejects.toMatchObject({ code: StorageErrorCode.ObjectNotFound });
  });

  it('treats a corrupt upload manifest as an unknown upload', async () => {
    const uploadId = await sut.initiateMultipart('k');
    await writeFile(path.join(root, '.uploads', uploadId, 'upload.json'), '{');

    await expect(sut.uploadPart('k', uploadId, 1, Buffer.from('x'))).rejects.toMatchObject({
      code: StorageErrorCode.UploadNotFound,
    });
  });

  it('answers ping with STORAGE_UNAVAILABLE when its directories are gone', async () => {
    await rm(root, { recursive: true, force: true });

    await expect(sut.ping()).rejects.toMatchObject({ code: StorageErrorCode.StorageUnavailable });
  });

  it('does not presign', async () => {
    await expect(sut.presignedGetUrl('k', 60)).resolves.toBeUndefined();
  });
});
