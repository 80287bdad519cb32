import { startS3Server, type S3Server } from '@enforcement/testing';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Client } from 'minio';
import { describeObjectStorageContract } from '../object-storage.contract';
import { StorageErrorCode } from '../storage.errors';
import { MinioObjectStorage, type MinioObjectStorageOptions } from './minio-object-storage';

/**
 * Evidence originals under S3 object lock (MINIO_OBJECT_LOCK=true), on versitygw with a bucket created with
 * object lock. Stored through the adapter, then attacked around it with a plain S3 client holding the same
 * (root) credentials: an original version can be neither deleted nor replaced.
 *
 * A private server rather than the shared one: what this suite stores is under legal hold or compliance
 * retention, which nothing can remove through S3, so it must go with the server's data directory.
 */
const LOCKED = 'evidence-locked';
const PLAIN = 'evidence-plain';
const MiB = 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;

let server: S3Server;
let direct: Client;

beforeAll(async () => {
  server = await startS3Server({ buckets: [PLAIN], objectLockBuckets: [LOCKED] });
  direct = new Client({
    endPoint: server.host,
    port: server.port,
    useSSL: false,
    accessKey: server.accessKey,
    secretKey: server.secretKey,
    region: server.region,
  });
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
    bucket: LOCKED,
    objectLock: true,
    ...overrides,
  };
}

// Every promise of the port holds on a versioned, locked bucket too (delete markers, versions, holds).
describeObjectStorageContract(
  'MinioObjectStorage with object lock on versitygw',
  async (overrides) => new MinioObjectStorage(options(overrides)),
  {
    presignedUrls: true,
  },
);

describe('MinioObjectStorage with object lock', () => {
  const newKey = (label: string): string => `cases/${randomUUID()}/evidence/${label}`;

  it('creates a missing bucket with object lock and versioning, and refuses a bucket without object lock', async () => {
    const bucket = `created-${randomBytes(4).toString('hex')}`;

    await new MinioObjectStorage(options({ bucket })).ensureBucket();

    expect(await direct.getObjectLockConfig(bucket)).toMatchObject({ objectLockEnabled: 'Enabled' });
    expect(await direct.getBucketVersioning(bucket)).toMatchObject({ Status: 'Enabled' });
    await expect(new MinioObjectStorage(options({ bucket: PLAIN })).ensureBucket()).rejects.toMatchObject({
      code: StorageErrorCode.StorageUnavailable,
      message: expect.stringContaining('without object lock'),
    });
  });

  it('puts a legal hold and the configured retention on the version it stored, streamed or assembled from parts', async () => {
    const sut = new MinioObjectStorage(options({ objectLockRetention: { mode: 'COMPLIANCE', days: 30 } }));
    const streamed = newKey('streamed.mp4');
    const assembled = newKey('assembled.mp4');
    const before = Date.now();

    await sut.putStream(streamed, Readable.from([randomBytes(1000)]));
    const uploadId = await sut.initiateMultipart(assembled);
    const parts = [
      await sut.uploadPart(assembled, uploadId, 1, randomBytes(5 * MiB)),
      await sut.uploadPart(assembled, uploadId, 2, randomBytes(10)),
    ];
    await sut.completeMultipart(assembled, uploadId, parts);

    for (const key of [streamed, assembled]) {
      const { versionId } = await direct.statObject(LOCKED, key);
      expect(versionId).toEqual(expect.any(String));
      expect(await legalHold(key, String(versionId))).toBe('ON');
      const retention = await retentionOf(key, String(versionId));
      expect(retention.mode).toBe('COMPLIANCE');
      const until = new Date(String(retention.retainUntilDate)).getTime();
      expect(until).toBeGreaterThanOrEqual(before + 30 * DAY_MS - 1000);
      expect(until).toBeLessThanOrEqual(Date.now() + 30 * DAY_MS + 1000);
    }
  });

  describe('an original under legal hold, attacked around the adapter', () => {
    const sut = () => new MinioObjectStorage(options());
    const original = randomBytes(64 * 1024);
    let key: string;
    let versionId: string;

    beforeAll(async () => {
      key = newKey('bodycam.mp4');
      await sut().putStream(key, Readable.from([original]), { contentType: 'video/mp4' });
      versionId = String((await direct.statObject(LOCKED, key)).versionId);
    });

    const originalVersion = async (): Promise<Buffer> => readAll(await direct.getObject(LOCKED, key, { versionId }));

    it('is not overwritten through the adapter', async () => {
      await expect(sut().putStream(key, Readable.from([randomBytes(10)]))).rejects.toMatchObject({ code: StorageErrorCode.ObjectExists });
      await expect(sut().initiateMultipart(key)).rejects.toMatchObject({ code: StorageErrorCode.ObjectExists });

      expect(await sut().sha256Of(key)).toBe(sha256(original));
    });

    it('refuses a delete of its version, with or without a governance bypass, alone or in a batch', async () => {
      await expect(direct.removeObject(LOCKED, key, { versionId })).rejects.toMatchObject({ code: 'AccessDenied' });
      await expect(direct.removeObject(LOCKED, key, { versionId, governanceBypass: true })).rejects.toMatchObject({ code: 'AccessDenied' });
      expect(await batchDelete(key, versionId)).toEqual(['AccessDenied']);

      expect(sha256(await originalVersion())).toBe(sha256(original));
      expect(await sut().sha256Of(key)).toBe(sha256(original));
    });

    it('keeps its version and bytes when a client writes over the key or deletes it without a version', async () => {
      // S3 lets a PUT make a new current version and a plain DELETE a delete marker; the locked version stays.
      const replacement = await direct.putObject(LOCKED, key, randomBytes(100));
      expect(replacement.versionId).not.toBe(versionId);
      expect(sha256(await originalVersion())).toBe(sha256(original));

      await direct.removeObject(LOCKED, key);
      expect(sha256(await originalVersion())).toBe(sha256(original));
      expect(await legalHold(key, versionId)).toBe('ON');
      await expect(direct.removeObject(LOCKED, key, { versionId })).rejects.toMatchObject({ code: 'AccessDenied' });
      expect((await direct.statObject(LOCKED, key, { versionId })).size).toBe(original.length);
    });
  });

  it('keeps an original under compliance retention after its legal hold is lifted', async () => {
    const sut = new MinioObjectStorage(options({ objectLockRetention: { mode: 'COMPLIANCE', days: 1 } }));
    const key = newKey('retained.mp4');
    const original = randomBytes(4096);
    await sut.putStream(key, Readable.from([original]));
    const versionId = String((await direct.statObject(LOCKED, key)).versionId);

    await liftLegalHold(key, versionId);

    expect(await legalHold(key, versionId)).toBe('OFF');
    await expect(direct.removeObject(LOCKED, key, { versionId })).rejects.toMatchObject({ code: 'AccessDenied' });
    await expect(direct.removeObject(LOCKED, key, { versionId, governanceBypass: true })).rejects.toMatchObject({ code: 'AccessDenied' });
    // Compliance retention cannot be weakened to governance, not even by the root account. (Nor shortened,
    // on AWS and MinIO; versitygw 1.7.0 accepts an earlier date in the same mode, so that is not claimed here.)
    await expect(
      direct.putObjectRetention(LOCKED, key, {
        versionId,
        mode: 'GOVERNANCE',
        retainUntilDate: new Date(Date.now() + 2 * DAY_MS).toISOString(),
      }),
    ).rejects.toMatchObject({ code: 'AccessDenied' });
    expect(sha256(await readAll(await direct.getObject(LOCKED, key, { versionId })))).toBe(sha256(original));
  });

  it('keeps an original under governance retention from a delete without bypass once its legal hold is lifted', async () => {
    const sut = new MinioObjectStorage(options({ objectLockRetention: { mode: 'GOVERNANCE', days: 1 } }));
    const key = newKey('governed.mp4');
    const original = randomBytes(4096);
    await sut.putStream(key, Readable.from([original]));
    const versionId = String((await direct.statObject(LOCKED, key)).versionId);

    await liftLegalHold(key, versionId);

    await expect(direct.removeObject(LOCKED, key, { versionId })).rejects.toMatchObject({ code: 'AccessDenied' });
    expect(sha256(await readAll(await direct.getObject(LOCKED, key, { versionId })))).toBe(sha256(original));
  });

  it('removes an object that failed its digest check for good, version and all, as it was never an original', async () => {
    const sut = new MinioObjectStorage(options({ objectLockRetention: { mode: 'COMPLIANCE', days: 1 } }));
    const key = newKey('tampered.mp4');
    const uploadId = await sut.initiateMultipart(key);
    const part = await sut.uploadPart(key, uploadId, 1, randomBytes(2048));

    await expect(sut.completeMultipart(key, uploadId, [part], { expectedSha256: 'ab'.repeat(32) })).rejects.toMatchObject({
      code: StorageErrorCode.DigestMismatch,
    });

    expect(await versionsOf(key)).toEqual([]);
    const content = randomBytes(100);
    await expect(sut.putStream(key, Readable.from([content]), { expectedSha256: sha256(content) })).resolves.toMatchObject({ size: 100 });
  });
});

/**
 * The version's retention, read from the XML itself: minio's getObjectRetention expects a <Retention>
 * root element (AWS), versitygw 1.7.0 answers <ObjectLockRetention>.
 */
async function retentionOf(key: string, versionId: string): Promise<{ mode?: string; retainUntilDate?: string }> {
  const response = await direct.makeRequestAsync({
    method: 'GET',
    bucketName: LOCKED,
    objectName: key,
    query: `retention&versionId=${encodeURIComponent(versionId)}`,
  });
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const xml = Buffer.concat(chunks).toString('utf8');
  const element = (name: string): string | undefined => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
  return { mode: element('Mode'), retainUntilDate: element('RetainUntilDate') };
}

async function liftLegalHold(key: string, versionId: string): Promise<void> {
  // minio declares setObjectLegalHold as returning void; it returns a promise that must be awaited.
  const pending: unknown = direct.setObjectLegalHold(LOCKED, key, { status: 'OFF', versionId });
  await pending;
}

/** minio declares the status as the answer; the answer is the parsed <LegalHold> element. */
async function legalHold(key: string, versionId: string): Promise<unknown> {
  const answer: unknown = await direct.getObjectLegalHold(LOCKED, key, { versionId });
  return typeof answer === 'object' && answer !== null && 'Status' in answer ? answer.Status : answer;
}

/**
 * A DeleteObjects (batch) of one version; the error codes it met. AWS answers 200 with an <Error> per
 * refused key; versitygw refuses the whole request when one of its objects is locked.
 */
async function batchDelete(key: string, versionId: string): Promise<Array<string | undefined>> {
  return direct.removeObjects(LOCKED, [{ name: key, versionId }]).then(
    (results) => results.map((result) => result?.Error?.Code),
    (error: unknown) => [typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : String(error)],
  );
}

async function versionsOf(key: string): Promise<Array<{ versionId?: string | null; isDeleteMarker?: boolean }>> {
  const versions: Array<{ name?: string; versionId?: string | null; isDeleteMarker?: boolean }> = [];
  for await (const entry of direct.listObjects(LOCKED, key, true, { IncludeVersion: true })) versions.push(entry);
  return versions.filter((entry) => entry.name === key).map(({ versionId, isDeleteMarker }) => ({ versionId, isDeleteMarker }));
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
