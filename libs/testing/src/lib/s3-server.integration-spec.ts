import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { Client } from 'minio';
import { startS3Server, type S3Server } from './s3-server';

/** A versitygw of our own per test: it starts in well under a second, and these tests stop and kill it. */
describe(startS3Server.name, () => {
  const started: S3Server[] = [];

  async function start(...args: Parameters<typeof startS3Server>): Promise<S3Server> {
    const server = await startS3Server(...args);
    started.push(server);
    return server;
  }

  afterEach(async () => {
    await Promise.all(started.splice(0).map((server) => server.stop()));
  });

  it('serves the configured buckets on a free local port until stopped, and stops once, data and all', async () => {
    const sut = await start({ buckets: ['evidence', 'exports'] });
    const client = clientOf(sut);
    const dataDir = path.dirname(objectRootOf(sut.pid()));

    expect(sut.endpoint).toBe(`http://127.0.0.1:${sut.port}`);
    expect(sut.region).toBe('us-east-1');
    expect((await client.listBuckets()).map((bucket) => bucket.name).sort()).toEqual(['evidence', 'exports']);
    await client.putObject('evidence', 'cases/1/clip.mp4', Buffer.from('recording'));
    expect(await text(await client.getObject('evidence', 'cases/1/clip.mp4'))).toBe('recording');

    await Promise.all([sut.stop(), sut.stop()]);
    await sut.stop();

    await expect(client.bucketExists('evidence')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(existsSync(dataDir)).toBe(false);
  });

  it('gives every server its own store and its own credentials', async () => {
    const [first, second] = await Promise.all([start({ buckets: ['evidence'] }), start()]);

    expect(first.port).not.toBe(second.port);
    expect(first.accessKey).not.toBe(second.accessKey);
    expect(await clientOf(second).listBuckets()).toEqual([]);
    await expect(clientOf(second).bucketExists('evidence')).resolves.toBe(false);
    // One server's keys open nothing on the other.
    const crossed = new Client({ ...clientOptions(second), accessKey: first.accessKey, secretKey: first.secretKey });
    await expect(crossed.listBuckets()).rejects.toMatchObject({ code: expect.stringMatching(/InvalidAccessKeyId|AccessDenied/) });
  });

  it('creates buckets with object lock (and so versioning) on request, and only then', async () => {
    const sut = await start({ buckets: ['plain'], objectLockBuckets: ['locked'] });
    await sut.createBuckets(['later-locked'], { objectLock: true });
    await sut.createBuckets(['later-locked', 'plain'], { objectLock: true });
    const client = clientOf(sut);

    for (const bucket of ['locked', 'later-locked']) {
      expect(await client.getObjectLockConfig(bucket)).toMatchObject({ objectLockEnabled: 'Enabled' });
      expect(await client.getBucketVersioning(bucket)).toMatchObject({ Status: 'Enabled' });
    }
    // Asking again for a bucket that exists leaves it as it was: 'plain' stays without object lock.
    await expect(client.getObjectLockConfig('plain')).rejects.toMatchObject({ code: 'ObjectLockConfigurationNotFoundError' });
    // A locked bucket takes legal holds on the versions written to it.
    const { versionId } = await client.putObject('locked', 'original', Buffer.from('evidence'));
    expect(versionId).toEqual(expect.any(String));
    const hold: unknown = client.setObjectLegalHold('locked', 'original', { status: 'ON', versionId: String(versionId) });
    await hold;
    await expect(client.removeObject('locked', 'original', { versionId: String(versionId) })).rejects.toMatchObject({
      code: 'AccessDenied',
    });
  });

  it('keeps its objects, buckets and port when killed and restarted', async () => {
    const sut = await start({ buckets: ['evidence'], objectLockBuckets: ['locked'] });
    const client = clientOf(sut);
    const content = randomBytes(256 * 1024);
    await client.putObject('evidence', 'cases/1/clip.mp4', content);
    const firstPid = sut.pid();

    await sut.kill();

    expect(processAlive(firstPid)).toBe(false);
    await expect(client.bucketExists('evidence')).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    await sut.restart();

    expect(sut.pid()).not.toBe(firstPid);
    expect(sut.endpoint).toBe(`http://127.0.0.1:${sut.port}`);
    expect(sha256(await bytes(await client.getObject('evidence', 'cases/1/clip.mp4')))).toBe(sha256(content));
    expect(await client.getObjectLockConfig('locked')).toMatchObject({ objectLockEnabled: 'Enabled' });
    await expect(sut.restart()).rejects.toThrow(/still running/);
  });

  it('leaves a data directory it was given in place, for a later server to serve', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 's3-spec-'));
    try {
      const first = await start({ dataDir, buckets: ['evidence'], accessKey: 'spec-access', secretKey: 'spec-secret-key' });
      await clientOf(first).putObject('evidence', 'kept', Buffer.from('still here'));
      await first.stop();

      expect(existsSync(dataDir)).toBe(true);
      const second = await start({ dataDir, accessKey: 'spec-access', secretKey: 'spec-secret-key' });
      expect(await text(await clientOf(second).getObject('evidence', 'kept'))).toBe('still here');
    } finally {
      await Promise.all(started.splice(0).map((server) => server.stop()));
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

function clientOptions(server: S3Server): ConstructorParameters<typeof Client>[0] {
  return {
    endPoint: server.host,
    port: server.port,
    useSSL: false,
    accessKey: server.accessKey,
    secretKey: server.secretKey,
    region: server.region,
  };
}

function clientOf(server: S3Server): Client {
  return new Client(clientOptions(server));
}

/** The posix backend's root directory, the last argument of the versitygw command line (Linux /proc). */
function objectRootOf(pid: number): string {
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const root = args.at(-1) ?? '';
  expect(path.basename(root)).toBe('objects');
  expect(existsSync(root)).toBe(true);
  return root;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function bytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

async function text(stream: Readable): Promise<string> {
  return (await bytes(stream)).toString('utf8');
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
