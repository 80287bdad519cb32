import { createHash, randomBytes, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AuthenticatedUser } from '@enforcement/auth';
import { Client } from 'minio';
import { createPool, type Pool } from 'mysql2/promise';
import { startDistributed, type DistributedPlatform } from '../../support/distributed';
import { eventually } from '../../support/processes';
import { measureRate, median, type Measurement, type Round, type Scenario, type ScenarioContext } from '../harness';

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
/** The bucket the distributed platform's recording service writes to (its MINIO_BUCKET default). */
const BUCKET = 'enforcement-evidence';
const AGENCY_ID = '6a0e5b1c-0000-4000-8000-0000000000be';
const OFFICER: AuthenticatedUser = { userId: '6a0e5b1c-0000-4000-8000-0000000000e1', agencyId: AGENCY_ID, roles: ['officer'] };

interface JsonReply {
  status: number;
  body: Record<string, unknown>;
}

/**
 * Evidence upload throughput through the API against the object store's own ceiling. Subject: the resumable
 * upload of the recording service (its own process, as deployed, on MariaDB, the Kafka mock and an S3 server):
 * create, PUT every part as raw bytes over keep-alive HTTP (authenticated and certificate-checked, each part
 * size-checked and hashed, then uploaded to S3), complete with the SHA-256, which has the object assembled,
 * read back and hashed by the server, and seals it in one transaction with its chain record and event.
 * Baseline: the same bytes in parts of the same size uploaded by a bare minio client straight to the same S3
 * server (initiate, upload parts, complete), at the same concurrency.
 *
 * The subject does what the baseline does plus one full read of the object back from storage, the price of not
 * trusting the client's digest, and every part crosses two hops instead of one. The S3 server runs in this
 * process for both sides and is the bottleneck of the baseline: on 2 cores the baseline takes ~2.9 s (parts
 * ~1.4 s, s3rver's assembly ~1.4 s) and s3rver serves the read-back in ~1.2 s, so no uploader that verifies what
 * it stored can pass ~0.7 here. Each round measures that ceiling (the baseline's time over itself plus a
 * read-back of its object, untimed) and the scenario prints it, so the subject can be judged against it.
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
  let log: ((line: string) => void) | undefined;
  /** Per round: baseline time / (baseline time + a read-back of its object), the most a verifying upload can reach. */
  const ceilings: number[] = [];

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
      recordingStartedAt: '2026-11-20T01:00:00.000Z',
      recordingEndedAt: '2026-11-20T02:00:00.000Z',
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
    const created = await createUpload();
    if (created.status !== 201) throw new Error(`create upload: ${created.status} ${JSON.stringify(created.body)}`);
    const { uploadId, partCount } = created.body as { uploadId: string; partCount: number };
    const uploads = `/cases/${caseId}/evidence/uploads/${uploadId}`;
    await inLanes(partCount, async (partNumber) => {
      const reply = await send('PUT', `${uploads}/parts/${partNumber}`, partOf(bytes, partNumber), 'application/octet-stream');
      if (reply.status !== 200) throw new Error(`part ${partNumber}: ${reply.status} ${JSON.stringify(reply.body)}`);
    });
    const sealed = await json('POST', `${uploads}/complete`, { sha256: digest });
    if (sealed.status !== 201 || sealed.body['sha256'] !== digest || sealed.body['sizeBytes'] !== size) {
      throw new Error(`complete: ${sealed.status} ${JSON.stringify(sealed.body)}`);
    }
  };

  let directKey = '';
  const direct = async (): Promise<void> => {
    const bytes = required(data, 'data');
    const client = required(minio, 'minio client');
    const key = (directKey = `bench/direct/${randomUUID()}`);
    const uploadId = await client.initiateNewMultipartUpload(BUCKET, key, { 'Content-Type': 'video/mp4' });
    const partCount = Math.ceil(size / partSize);
    const etags: Array<{ part: number; etag: string }> = [];
    await inLanes(partCount, async (partNumber) => {
      // minio's own uploadPart only parses UploadPartCopy answers (see libs/storage's MinioS3Client): a plain
      // UploadPart through the client's request method is what a direct upload looks like.
      const response = await client.makeRequestAsyncOmit(
        { method: 'PUT', bucketName: BUCKET, objectName: key, query: `partNumber=${partNumber}&uploadId=${encodeURIComponent(uploadId)}` },
        partOf(bytes, partNumber),
      );
      const etag = response.headers['etag'];
      if (typeof etag !== 'string') throw new Error(`direct part ${partNumber}: no ETag`);
      etags.push({ part: partNumber, etag: etag.replace(/"/g, '') });
    });
    etags.sort((a, b) => a.part - b.part);
    await client.completeMultipartUpload(BUCKET, key, uploadId, etags);
  };

  const side = (work: () => Promise<void>) => (): Promise<Measurement> => measureRate(options.sizeMiB, work);

  /**
   * The baseline, then (untimed) the read-back and SHA-256 of the object it stored, the step the service must add:
   * their ratio is the ceiling of any uploader that verifies what it stored, on this S3 server in this load.
   */
  const directThenReadBack = async (): Promise<Measurement> => {
    const measured = await side(direct)();
    const started = process.hrtime.bigint();
    const hash = createHash('sha256');
    for await (const chunk of await required(minio, 'minio client').getObject(BUCKET, directKey)) hash.update(chunk as Buffer);
    if (hash.digest('hex') !== digest) throw new Error('direct upload: the stored object does not hash to the data');
    const readBackMs = Number(process.hrtime.bigint() - started) / 1e6;
    ceilings.push(measured.elapsedMs / (measured.elapsedMs + readBackMs));
    log?.(`    read-back of the baseline's object: ${readBackMs.toFixed(0)} ms; a verifying uploader's ceiling ${ceilings.at(-1)?.toFixed(2)}`);
    return measured;
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

      platform = await startDistributed(['recording']);
      recording = platform.urls['recording'];
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

      // The case and the officer's certificate, as the cases module and certificate events would have left them.
      pool = createPool({ uri: platform.databases['recording'].url, connectionLimit: 2 });
      caseId = randomUUID();
      const now = new Date();
      await pool.execute(
        'INSERT INTO known_certificates (id, number, officer_id, agency_id, status, domains, region_codes, valid_from, valid_until, ' +
          'terms_event_at, status_event_at, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [randomUUID(), 'SH-BENCH-0001', OFFICER.userId, AGENCY_ID, 'active', '["market-regulation"]', '["310000"]',
          new Date('2020-01-01T00:00:00Z'), new Date('2099-01-01T00:00:00Z'), now, now, 1, now],
      );
      await pool.execute(
        'INSERT INTO cases (id, agency_id, case_number, domain, region_code, `procedure`, status, alleged_violation, legal_basis, ' +
          'handling_officer_ids, requires_collective_decision, legal_review_status, opened_at, opened_by, closed_at, record_count, chain_head) ' +
          'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [caseId, AGENCY_ID, `沪黄市监案〔2026〕${caseId.slice(0, 8)}号`, 'market-regulation', '310101', 'general', 'open',
          '销售不合格产品', '《产品质量法》第四十九条', JSON.stringify([OFFICER.userId]), 0, 'not-required', now, OFFICER.userId,
          null, 0, '0'.repeat(64)],
      );
      // The service's certificate directory picks the row up on its next poll (every second).
      const probe = await eventually(async () => {
        const reply = await createUpload();
        return reply.status === 201 ? reply : undefined;
      }, 15_000, 'the officer to be certified in the recording service');
      const { uploadId } = probe.body as { uploadId: string };
      partSize = Number(probe.body['partSize']);
      await send('DELETE', `/cases/${caseId}/evidence/uploads/${uploadId}`, Buffer.alloc(0), 'application/json');
      context.log(
        `recording service on ${recording} (own process, MariaDB, Kafka mock); S3 server in this process; ` +
          `${options.sizeMiB} MiB in ${Math.ceil(size / partSize)} parts of ${partSize / MiB} MiB`,
      );
    },

    async round(): Promise<Round> {
      return { baseline: directThenReadBack, subject: side(throughApi) };
    },

    async teardown() {
      if (ceilings.length > 0) {
        log?.(`ceiling of a verifying uploader, median over all ${ceilings.length} rounds: ${median(ceilings).toFixed(2)}`);
      }
      ceilings.length = 0;
      log = undefined;
      agent?.destroy();
      const outcomes = await Promise.allSettled([pool?.end(), platform?.stop()]);
      agent = pool = platform = minio = data = undefined;
      const failures = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      if (failures.length > 0) throw new Error(`teardown: ${failures.map((failure) => String(failure.reason)).join('; ')}`);
    },
  };
}
