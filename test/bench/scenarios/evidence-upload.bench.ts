import type { AuthenticatedUser } from '@enforcement/auth';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import { Client } from 'minio';
import { createPool, type Pool } from 'mysql2/promise';
import { startDistributed, type DistributedPlatform } from '../../support/distributed';
import { call } from '../../support/http';
import { eventually } from '../../support/processes';
import { measureRate, type Measurement, type Round, type Scenario, type ScenarioContext } from '../harness';

export interface EvidenceUploadOptions {
  /** Bytes uploaded per side per round, in MiB. */
  sizeMiB: number;
  /** Parts in flight at once, on both sides. */
  concurrency: number;
  name?: string;
  rounds?: number;
  warmupRounds?: number;
}

/** Two parts in flight, as a field app uploading over a decent link would: the HTTP hop overlaps the S3 one. */
export const EVIDENCE_UPLOAD_DEFAULTS: EvidenceUploadOptions = { sizeMiB: 256, concurrency: 2 };

const MiB = 1024 * 1024;
const AGENCY_ID = '6a0e5b1c-0000-4000-8000-0000000000be';
const OFFICER: AuthenticatedUser = { userId: '6a0e5b1c-0000-4000-8000-0000000000e1', agencyId: AGENCY_ID, roles: ['officer'] };
const CO_OFFICER: AuthenticatedUser = { userId: '6a0e5b1c-0000-4000-8000-0000000000e2', agencyId: AGENCY_ID, roles: ['officer'] };

interface JsonReply {
  status: number;
  body: Record<string, unknown>;
}

/**
 * Evidence upload throughput through the API against the object store's own speed. Subject: the resumable
 * upload of the recording service (its own process, as deployed, on MariaDB, Kafka and the S3 server):
 * create, PUT every part as raw bytes over keep-alive HTTP (authenticated and certificate-checked, each part
 * size-checked and hashed, then uploaded to S3), complete with the SHA-256, which has the object assembled,
 * read back and hashed by the server, and seals it in one transaction with its chain record and event.
 * Baseline: the same bytes in parts of the same size uploaded by a bare minio client straight to the same S3
 * server (initiate, upload parts, complete), at the same concurrency.
 *
 * The S3 server is the platform's own (versitygw on its posix backend, a process of its own), in the platform's
 * bucket, which has object lock as the service requires. The subject does what the baseline does plus one full
 * read of the object back from storage, the price of not trusting the client's digest, and every part crosses
 * two hops instead of one.
 */
export function evidenceUpload(overrides: Partial<EvidenceUploadOptions> = {}): Scenario {
  const options: EvidenceUploadOptions = { ...EVIDENCE_UPLOAD_DEFAULTS, ...overrides };
  const size = options.sizeMiB * MiB;
  let platform: DistributedPlatform | undefined;
  let pool: Pool | undefined;
  let agent: http.Agent | undefined;
  let minio: Client | undefined;
  let data: Buffer | undefined;
  let digest = '';
  let partSize = 0;
  let token = '';
  let caseId = '';
  let recording = '';
  let bucket = '';
  let log: ((line: string) => void) | undefined;

  const required = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`evidence-upload: ${what} is not set up`);
    return value;
  };

  const send = (method: string, path: string, body: Buffer, contentType: string): Promise<JsonReply> =>
    new Promise((resolve, reject) => {
      const request = http.request(
        `${recording}${path}`,
        {
          method,
          agent: required(agent, 'HTTP agent'),
          headers: { authorization: `Bearer ${token}`, 'content-type': contentType, 'content-length': String(body.length) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: response.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
          });
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  const json = (method: string, path: string, body: unknown) => send(method, path, Buffer.from(JSON.stringify(body)), 'application/json');

  const createUpload = () =>
    json('POST', `/cases/${caseId}/evidence/uploads`, {
      mediaType: 'video/mp4',
      sizeBytes: size,
      deviceId: 'BWC-BENCH-0001',
      // Recorded just now: within the footage limit, so no late-entry reason is needed.
      recordingStartedAt: new Date(Date.now() - 2 * 3600_000).toISOString(),
      recordingEndedAt: new Date(Date.now() - 3600_000).toISOString(),
    });

  /** Runs `work(1..count)` with `concurrency` lanes, in part order within each lane. */
  const inLanes = async (count: number, work: (partNumber: number) => Promise<void>) => {
    let next = 1;
    const lane = async () => {
      for (let partNumber = next++; partNumber <= count; partNumber = next++) await work(partNumber);
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency, count) }, lane));
  };
  const partOf = (bytes: Buffer, partNumber: number) => bytes.subarray((partNumber - 1) * partSize, partNumber * partSize);

  const throughApi = async (): Promise<void> => {
    const bytes = required(data, 'data');
    // A fresh pool per run: between runs the connections sit idle longer than the service's keep-alive
    // timeout (5 s), and a socket the server is closing would fail the next request.
    agent?.destroy();
    agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
    const started = performance.now();
    const created = await createUpload();
    if (created.status !== 201) throw new Error(`create upload: ${created.status} ${JSON.stringify(created.body)}`);
    const { uploadId, partCount } = created.body as { uploadId: string; partCount: number };
    const uploads = `/cases/${caseId}/evidence/uploads/${uploadId}`;
    const partsStarted = performance.now();
    await inLanes(partCount, async (partNumber) => {
      const reply = await send('PUT', `${uploads}/parts/${partNumber}`, partOf(bytes, partNumber), 'application/octet-stream');
      if (reply.status !== 200) throw new Error(`part ${partNumber}: ${reply.status} ${JSON.stringify(reply.body)}`);
    });
    const completeStarted = performance.now();
    const sealed = await json('POST', `${uploads}/complete`, { sha256: digest });
    if (sealed.status !== 201 || sealed.body['sha256'] !== digest || sealed.body['sizeBytes'] !== size) {
      throw new Error(`complete: ${sealed.status} ${JSON.stringify(sealed.body)}`);
    }
    const done = performance.now();
    log?.(
      `    through the API: create ${(partsStarted - started).toFixed(0)} ms, parts ${(completeStarted - partsStarted).toFixed(0)} ms, ` +
        `complete (assembly, read-back and hash, seal) ${(done - completeStarted).toFixed(0)} ms`,
    );
  };

  const direct = async (): Promise<void> => {
    const bytes = required(data, 'data');
    const client = required(minio, 'minio client');
    const key = `bench/direct/${randomUUID()}`;
    const uploadId = await client.initiateNewMultipartUpload(bucket, key, { 'Content-Type': 'video/mp4' });
    const partCount = Math.ceil(size / partSize);
    const etags: Array<{ part: number; etag: string }> = [];
    const partsStarted = performance.now();
    await inLanes(partCount, async (partNumber) => {
      // minio's own uploadPart only parses UploadPartCopy answers (see libs/storage's MinioS3Client): a plain
      // UploadPart through the client's request method is what a direct upload looks like.
      const response = await client.makeRequestAsyncOmit(
        { method: 'PUT', bucketName: bucket, objectName: key, query: `partNumber=${partNumber}&uploadId=${encodeURIComponent(uploadId)}` },
        partOf(bytes, partNumber),
      );
      const etag = response.headers['etag'];
      if (typeof etag !== 'string') throw new Error(`direct part ${partNumber}: no ETag`);
      etags.push({ part: partNumber, etag: etag.replace(/"/g, '') });
    });
    etags.sort((a, b) => a.part - b.part);
    const completeStarted = performance.now();
    await client.completeMultipartUpload(bucket, key, uploadId, etags);
    log?.(
      `    direct: parts ${(completeStarted - partsStarted).toFixed(0)} ms, complete (assembly) ${(performance.now() - completeStarted).toFixed(0)} ms`,
    );
  };

  /** CPU time used so far (ms) by the processes that do the work: this one, the recording service, the S3 server. */
  const cpuNow = async (): Promise<Record<string, number | undefined>> => {
    const own = process.cpuUsage();
    return {
      bench: (own.user + own.system) / 1000,
      service: await processCpuMs(platform?.processes['recording']?.pid),
      s3: await processCpuMs(platform?.s3Server?.pid()),
    };
  };

  const side = (name: string, work: () => Promise<void>) => async (): Promise<Measurement> => {
    const before = await cpuNow();
    const measurement = await measureRate(options.sizeMiB, work);
    const after = await cpuNow();
    const used = Object.entries(after)
      .map(([process, ms]) => {
        const start = before[process];
        return ms === undefined || start === undefined ? `${process} ?` : `${process} ${(ms - start).toFixed(0)} ms`;
      })
      .join(', ');
    log?.(`    ${name}: ${measurement.elapsedMs.toFixed(0)} ms; CPU ${used}`);
    return measurement;
  };

  return {
    name: options.name ?? 'evidence-upload',
    description:
      `${options.sizeMiB} MiB of evidence through the recording service's resumable upload API (parts over HTTP, ` +
      `server-side digest and read-back, sealed into the chain) vs a direct minio multipart upload of the same bytes ` +
      `to the same S3 server (${options.concurrency} part(s) in flight)`,
    unit: 'MiB/s',
    higherIsBetter: true,
    rounds: options.rounds ?? 5,
    warmupRounds: options.warmupRounds ?? 1,
    target: { minRatio: 0.8 },

    async setup(context: ScenarioContext) {
      log = context.log;
      data = Buffer.allocUnsafe(size);
      for (let offset = 0; offset < size; offset += MiB) randomBytes(MiB).copy(data, offset);
      digest = createHash('sha256').update(data).digest('hex');

      // A private S3 server: evidence objects are under legal hold and cannot be deleted, so a shared server would
      // keep every round's gigabyte; this one's data goes when it stops. It also keeps other suites' traffic out.
      platform = await startDistributed(['recording'], { ownS3: true });
      recording = platform.urls['recording'];
      bucket = platform.s3.bucket;
      token = await platform.sign(OFFICER);
      agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
      minio = new Client({
        endPoint: platform.s3.host,
        port: platform.s3.port,
        useSSL: false,
        accessKey: platform.s3.accessKey,
        secretKey: platform.s3.secretKey,
        region: 'us-east-1',
        pathStyle: true,
      });

      // The officers' certificates, as certificate events would have left them; the case is opened through the API
      // (its row carries the service's seal over its state), the co-officer confirming with their own token (Art. 42).
      pool = createPool({ uri: platform.databases['recording'].url, connectionLimit: 2 });
      const signed = platform;
      const now = new Date();
      for (const [officer, number] of [
        [OFFICER, 'SH-BENCH-0001'],
        [CO_OFFICER, 'SH-BENCH-0002'],
      ] as const) {
        await pool.execute(
          'INSERT INTO known_certificates (id, number, officer_id, agency_id, status, domains, region_codes, valid_from, valid_until, ' +
            'terms_event_at, status_event_at, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [
            randomUUID(),
            number,
            officer.userId,
            AGENCY_ID,
            'active',
            '["market-regulation"]',
            '["310000"]',
            new Date('2020-01-01T00:00:00Z'),
            new Date('2099-01-01T00:00:00Z'),
            now,
            now,
            1,
            now,
          ],
        );
      }
      // The service's certificate directory picks the rows up on its next poll (every second).
      const opened = await eventually(
        async () => {
          const reply = await call(
            'POST',
            `${recording}/cases`,
            token,
            {
              domain: 'market-regulation',
              regionCode: '310101',
              procedure: 'general',
              party: {
                kind: 'organisation',
                name: '上海某某食品有限公司',
                identifier: '91310101MA1FL1234C',
                contact: { phone: '021-12345678' },
              },
              allegedViolation: '销售不合格产品',
              legalBasis: '《产品质量法》第四十九条',
              coOfficerIds: [CO_OFFICER.userId],
              place: '上海市黄浦区南京东路1号',
            },
            { 'x-co-officer-tokens': await signed.sign(CO_OFFICER) },
          );
          return reply.status === 201 ? reply : undefined;
        },
        15_000,
        'the officers to be certified in the recording service',
      );
      caseId = String(opened.body['id']);
      const probe = await createUpload();
      if (probe.status !== 201) throw new Error(`creating an upload: ${probe.status} ${JSON.stringify(probe.body)}`);
      const { uploadId } = probe.body as { uploadId: string };
      partSize = Number(probe.body['partSize']);
      await send('DELETE', `/cases/${caseId}/evidence/uploads/${uploadId}`, Buffer.alloc(0), 'application/json');
      context.log(
        `recording service on ${recording} (own process, MariaDB, Kafka); S3 server ${platform.s3.host}:${platform.s3.port}, bucket ${bucket}; ` +
          `${options.sizeMiB} MiB in ${Math.ceil(size / partSize)} parts of ${partSize / MiB} MiB`,
      );
    },

    async round(): Promise<Round> {
      return { baseline: side('direct', direct), subject: side('through the API', throughApi) };
    },

    async teardown() {
      log = undefined;
      agent?.destroy();
      const outcomes = await Promise.allSettled([pool?.end(), platform?.stop()]);
      agent = pool = platform = minio = data = undefined;
      const failures = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      if (failures.length > 0) throw new Error(`teardown: ${failures.map((failure) => String(failure.reason)).join('; ')}`);
    },
  };
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on every Linux build that matters). */
const CLOCK_TICKS = 100;

/** CPU time (ms) a process has used so far, or undefined where /proc cannot tell. */
async function processCpuMs(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined || pid <= 0) return undefined;
  try {
    const fields = (await fs.readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
