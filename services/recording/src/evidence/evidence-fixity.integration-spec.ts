import type { AuthenticatedUser } from '@enforcement/auth';
import { decodeEnvelope, decodePayload, Events } from '@enforcement/contracts';
import { OutboxEventEntity } from '@enforcement/events';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { useS3, type TestS3 } from '@enforcement/testing';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import * as nodeHttp from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { Client } from 'minio';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource, IsNull } from 'typeorm';
import { recordingService } from '../service';
import { EvidenceFixityAlarmService } from './evidence-fixity-alarm.service';
import { EvidenceFixityCheckEntity } from './evidence-fixity-check.entity';
import { EvidenceFixityService } from './evidence-fixity.service';
import { seedCase, seedCertificates } from './test-support/evidence-fixtures';

const MiB = 1024 * 1024;
/** The service's part size (the evidence module's default). */
const PART = 8 * MiB;
const AGENCY = '3f1e0c1a-0000-4000-8000-0000000000f1';
const officer: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY, roles: ['officer'] };
const SUPERVISION_OFFICE = '3f1e0c1a-0000-4000-8000-00000000005e';
const supervisorShanghai: AuthenticatedUser = {
  userId: randomUUID(),
  agencyId: SUPERVISION_OFFICE,
  roles: ['supervisor'],
  supervisedRegionCode: '310000',
};
const supervisorJiangsu: AuthenticatedUser = { ...supervisorShanghai, userId: randomUUID(), supervisedRegionCode: '320000' };

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** The value of evidence_fixity_failures_total for `source` in the service's /metrics. */
async function fixityFailures(sut: ServiceUnderTest, source: 'playback' | 'sweep'): Promise<number> {
  const text = (
    await request(sut.app.getHttpServer() as App)
      .get('/metrics')
      .expect(200)
  ).text;
  const line = text.split('\n').find((row) => row.startsWith('evidence_fixity_failures_total{') && row.includes(`source="${source}"`));
  return Number(line?.split(' ').at(-1));
}

interface Received {
  /** 0 when the connection was cut before a status line (a range whose only part failed its digest). */
  status: number;
  contentLength: number;
  body: Buffer;
  /** Whether the whole message arrived (Node's IncomingMessage.complete): false for a connection cut short. */
  complete: boolean;
}

/** A GET as a player makes it, reporting a response cut short (or never begun) instead of failing on it. */
function get(baseUrl: string, urlPath: string, headers: Record<string, string>): Promise<Received> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const req = nodeHttp.get(`${baseUrl}${urlPath}`, { headers, agent: false }, (response) => {
      const done = () =>
        resolve({
          status: response.statusCode ?? 0,
          contentLength: Number(response.headers['content-length']),
          body: Buffer.concat(chunks),
          complete: response.complete,
        });
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('close', done);
      response.once('error', () => undefined);
    });
    req.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET') resolve({ status: 0, contentLength: 0, body: Buffer.concat(chunks), complete: false });
      else reject(error);
    });
  });
}

/** Uploads `data` through the API and seals it; the evidence id. */
async function sealThrough(sut: ServiceUnderTest, caseId: string, data: Buffer, mediaType = 'video/mp4'): Promise<string> {
  const http = () => request(sut.app.getHttpServer() as App);
  const authorization = `Bearer ${await sut.tokenFor(officer)}`;
  const created = await http()
    .post(`/cases/${caseId}/evidence/uploads`)
    .set({ authorization })
    .send({
      mediaType,
      sizeBytes: data.length,
      deviceId: 'BWC-FIX-01',
      recordingStartedAt: new Date(Date.now() - 20 * 60_000).toISOString(),
      recordingEndedAt: new Date(Date.now() - 10 * 60_000).toISOString(),
    });
  expect(created.status).toBe(201);
  const { uploadId, evidenceId, partSize, partCount } = created.body as {
    uploadId: string;
    evidenceId: string;
    partSize: number;
    partCount: number;
  };
  for (let n = 1; n <= partCount; n++) {
    await http()
      .put(`/cases/${caseId}/evidence/uploads/${uploadId}/parts/${n}`)
      .set({ authorization, 'content-type': 'application/octet-stream' })
      .send(data.subarray((n - 1) * partSize, n * partSize))
      .expect(200);
  }
  await http()
    .post(`/cases/${caseId}/evidence/uploads/${uploadId}/complete`)
    .set({ authorization })
    .send({ sha256: sha256(data) })
    .expect(201);
  return evidenceId;
}

async function listen(sut: ServiceUnderTest): Promise<{ baseUrl: string; server: nodeHttp.Server }> {
  const server = sut.app.getHttpServer() as nodeHttp.Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/**
 * Issue #11, evidence that stays true: playback verifies the bytes as it streams them and cuts a changed original
 * short, and the fixity sweep re-hashes stored originals and reports the changed ones. The originals are changed
 * behind the service's back, as an intruder with the store's credentials would: on S3 with object lock a plain PUT
 * over the key (the locked version stays, but a new current version is what a GET returns).
 */
describe('evidence fixity on an S3 server with object lock', () => {
  let s3: TestS3;
  let sut: ServiceUnderTest;
  let direct: Client;
  let baseUrl: string;
  let caseId: string;
  const logLines: string[] = [];
  const data = randomBytes(PART + 5000);
  const tampered = Buffer.from(data);
  tampered[PART + 100] ^= 0x01; // in the second part
  let changedId: string;
  let intactId: string;

  const content = async (evidenceId: string, headers: Record<string, string> = {}) =>
    get(baseUrl, `/evidence/${evidenceId}/content?purpose=${encodeURIComponent('核对原件')}`, {
      authorization: `Bearer ${await sut.tokenFor(officer)}`,
      ...headers,
    });
  const alarm = () => sut.app.get(EvidenceFixityAlarmService);

  beforeAll(async () => {
    s3 = await useS3({ objectLock: true });
    sut = await startServiceForTest(
      recordingService,
      {
        MINIO_ENDPOINT: s3.host,
        MINIO_PORT: String(s3.port),
        MINIO_ACCESS_KEY: s3.accessKey,
        MINIO_SECRET_KEY: s3.secretKey,
        MINIO_BUCKET: s3.bucket,
        MINIO_OBJECT_LOCK: 'true',
        // The test runs the sweep itself.
        EVIDENCE_FIXITY_SWEEP: 'false',
      },
      {
        logDestination: new Writable({
          write(chunk: Buffer, _encoding, done) {
            logLines.push(chunk.toString());
            done();
          },
        }),
      },
    );
    ({ baseUrl } = await listen(sut));
    direct = new Client({
      endPoint: s3.host,
      port: s3.port,
      useSSL: false,
      accessKey: s3.accessKey,
      secretKey: s3.secretKey,
      region: s3.region,
    });
    await seedCertificates(sut.app, [{ officerId: officer.userId, agencyId: AGENCY }]);
    caseId = (await seedCase(sut.app, { agencyId: AGENCY, regionCode: '310101', handlingOfficerIds: [officer.userId] })).id;
    changedId = await sealThrough(sut, caseId, data);
    intactId = await sealThrough(sut, caseId, randomBytes(1000), 'audio/mpeg');
  });

  afterAll(async () => {
    await sut?.close();
    await s3?.release();
  });

  it('serves an intact original whole and in ranges, raising nothing', async () => {
    const whole = await content(changedId);
    expect([whole.status, whole.complete, whole.body.length]).toEqual([200, true, data.length]);
    expect(sha256(whole.body)).toBe(sha256(data));
    const range = await content(changedId, { range: `bytes=${PART - 10}-${PART + 9}` });
    expect([range.status, range.complete]).toEqual([206, true]);
    expect(range.body.equals(data.subarray(PART - 10, PART + 10))).toBe(true);
    expect(alarm().count('playback')).toBe(0);
    expect(await fixityFailures(sut, 'playback')).toBe(0);
  });

  it('cuts short a playback of an original changed in the store, and raises the alarm', async () => {
    await direct.putObject(s3.bucket, `cases/${caseId}/evidence/${changedId}`, tampered);
    // The store now answers with the changed bytes: nothing in S3 stops a new version.
    expect(sha256(await readAll(await direct.getObject(s3.bucket, `cases/${caseId}/evidence/${changedId}`)))).toBe(sha256(tampered));

    const whole = await content(changedId);
    expect(whole.status).toBe(200);
    expect(whole.complete).toBe(false);
    expect(whole.body.length).toBeLessThan(whole.contentLength);
    expect(alarm().count('playback')).toBe(1);
    const errorLine = logLines
      .map((line) => JSON.parse(line) as { level: number; msg: string })
      .find((line) => line.msg?.includes(changedId));
    expect(errorLine).toMatchObject({ level: 50, msg: expect.stringContaining(sha256(tampered)) });

    // A range of the changed part is cut short too (its part is read and hashed whole); one of the other part is not.
    // Nothing of it is sent before its part is verified, so the connection closes before a status line.
    const changedPart = await content(changedId, { range: `bytes=${PART}-${PART + 10}` });
    expect([changedPart.status, changedPart.body.length, changedPart.complete]).toEqual([0, 0, false]);
    const firstPart = await content(changedId, { range: 'bytes=0-99' });
    expect([firstPart.status, firstPart.complete]).toEqual([206, true]);
    expect(firstPart.body.equals(data.subarray(0, 100))).toBe(true);
    expect(alarm().count('playback')).toBe(2);
    // A suffix range in the changed part (a player's seek to the end) is refused the same way.
    expect((await content(changedId, { range: 'bytes=-50' })).complete).toBe(false);
    expect(alarm().count('playback')).toBe(3);
    expect(await fixityFailures(sut, 'playback')).toBe(3);

    // The failed playback had the whole original re-checked at once (once, however often it was played): supervisors
    // see it, and no presigned link is handed out, before the sweep comes round.
    const rechecked = await eventually(() => sut.app.get(DataSource).manager.findBy(EvidenceFixityCheckEntity, { evidenceId: changedId }));
    expect(rechecked).toEqual([
      expect.objectContaining({
        ok: false,
        foundSha256: sha256(tampered),
        expectedSha256: sha256(data),
        detail: 'after a failed playback',
      }),
    ]);
    const url = await request(sut.app.getHttpServer() as App)
      .get(`/evidence/${changedId}/url?purpose=${encodeURIComponent('播放器播放')}`)
      .set('authorization', `Bearer ${await sut.tokenFor(officer)}`);
    expect([url.status, url.body.code]).toEqual([409, 'EVIDENCE_FIXITY_FAILED']);
  });

  it('the sweep records each original it re-hashes, reports the changed one and lists it for supervisors of its region', async () => {
    const fixity = sut.app.get(EvidenceFixityService);
    const before = alarm().count('sweep');

    expect(await fixity.sweepBatch(undefined, 10)).toEqual({ checked: 2, failed: 1 });

    const rows = await sut.app.get(DataSource).manager.find(EvidenceFixityCheckEntity, { where: { caseId, detail: IsNull() } });
    expect(
      rows
        .map(({ evidenceId, ok, foundSha256 }) => ({ evidenceId, ok: Boolean(ok), foundSha256 }))
        .sort((a, b) => Number(a.ok) - Number(b.ok)),
    ).toEqual([
      { evidenceId: changedId, ok: false, foundSha256: sha256(tampered) },
      { evidenceId: intactId, ok: true, foundSha256: expect.any(String) },
    ]);
    expect(alarm().count('sweep')).toBe(before + 1);
    expect(await fixityFailures(sut, 'sweep')).toBe(before + 1);

    const events = await sut.app
      .get(DataSource)
      .manager.find(OutboxEventEntity, { where: { eventType: Events.EvidenceFixityFailed.schema.typeName }, order: { id: 'ASC' } });
    // One from the re-check after the playback, one from the sweep.
    expect(events.map(({ payload }) => decodePayload(Events.EvidenceFixityFailed, decodeEnvelope(payload)))).toEqual([
      expect.objectContaining({ caseId, evidenceId: changedId, foundSha256: sha256(tampered), detail: 'after a failed playback' }),
      expect.objectContaining({ caseId, evidenceId: changedId, expectedSha256: sha256(data), foundSha256: sha256(tampered), detail: '' }),
    ]);

    const http = () => request(sut.app.getHttpServer() as App);
    const listed = await http()
      .get('/supervision/evidence-fixity-failures')
      .set('authorization', `Bearer ${await sut.tokenFor(supervisorShanghai)}`);
    expect(listed.status).toBe(200);
    expect(listed.body.nextCursor).toBeNull();
    expect(listed.body.items).toEqual([
      expect.objectContaining({ evidenceId: changedId, caseId, regionCode: '310101', foundSha256: sha256(tampered), detail: null }),
      expect.objectContaining({ evidenceId: changedId, foundSha256: sha256(tampered), detail: 'after a failed playback' }),
    ]);
    const elsewhere = await http()
      .get('/supervision/evidence-fixity-failures')
      .set('authorization', `Bearer ${await sut.tokenFor(supervisorJiangsu)}`);
    expect(elsewhere.body.items).toEqual([]);
    const byOfficer = await http()
      .get('/supervision/evidence-fixity-failures')
      .set('authorization', `Bearer ${await sut.tokenFor(officer)}`);
    expect(byOfficer.status).toBe(403);

    // A presigned link would let the store serve the changed bytes unverified: none is handed out.
    const url = await http()
      .get(`/evidence/${changedId}/url?purpose=${encodeURIComponent('播放器播放')}`)
      .set('authorization', `Bearer ${await sut.tokenFor(officer)}`);
    expect([url.status, url.body.code]).toEqual([409, 'EVIDENCE_FIXITY_FAILED']);
    const intactUrl = await http()
      .get(`/evidence/${intactId}/url?purpose=${encodeURIComponent('播放器播放')}`)
      .set('authorization', `Bearer ${await sut.tokenFor(officer)}`);
    expect(intactUrl.status).toBe(200);
  });

  it('takes the originals checked longest ago next, so every one comes round however small the batches', async () => {
    const fixity = sut.app.get(EvidenceFixityService);
    const checkedOf = async () =>
      (await sut.app.get(DataSource).manager.find(EvidenceFixityCheckEntity, { where: { caseId }, order: { checkedAt: 'ASC' } })).map(
        (row) => row.evidenceId,
      );
    const firstRound = (await checkedOf()).length;

    await fixity.sweepBatch(undefined, 1);
    await fixity.sweepBatch(undefined, 1);

    const checked = await checkedOf();
    expect(checked.slice(firstRound).sort()).toEqual([changedId, intactId].sort());
  });
});

describe('evidence fixity on local disk (embedded mode)', () => {
  let sut: ServiceUnderTest;
  let baseUrl: string;

  beforeAll(async () => {
    sut = await startServiceForTest(recordingService, { EVIDENCE_FIXITY_SWEEP: 'false' });
    ({ baseUrl } = await listen(sut));
    await seedCertificates(sut.app, [{ officerId: officer.userId, agencyId: AGENCY }]);
  });

  afterAll(() => sut?.close());

  it('cuts short a playback of a file changed on disk, and the sweep reports it', async () => {
    const caseRow = await seedCase(sut.app, { agencyId: AGENCY, handlingOfficerIds: [officer.userId] });
    const data = randomBytes(200_000);
    const evidenceId = await sealThrough(sut, caseRow.id, data);
    const storage = sut.config.storage as { driver: string; root: string };
    expect(storage.driver).toBe('local');
    // The adapter keeps originals read-only; whoever has the disk can still change them.
    const file = path.join(storage.root, 'objects', 'cases', caseRow.id, 'evidence', evidenceId);
    const changed = Buffer.from(data);
    changed[0] ^= 0x80;
    await chmod(file, 0o644);
    await writeFile(file, changed);
    await chmod(file, 0o444);

    const played = await get(baseUrl, `/evidence/${evidenceId}/content?purpose=${encodeURIComponent('核对原件')}`, {
      authorization: `Bearer ${await sut.tokenFor(officer)}`,
    });

    expect([played.status, played.complete]).toEqual([200, false]);
    expect(played.body.length).toBeLessThan(data.length);
    expect(sut.app.get(EvidenceFixityAlarmService).count('playback')).toBe(1);
    expect(await sut.app.get(EvidenceFixityService).sweepBatch()).toEqual({ checked: 1, failed: 1 });
    expect(await sut.app.get(DataSource).manager.findOneBy(EvidenceFixityCheckEntity, { evidenceId })).toMatchObject({
      foundSha256: sha256(changed),
      expectedSha256: sha256(data),
    });
  });
});

/** Polls `read` until it returns a non-empty list (background work), for at most 5 s. */
async function eventually<T>(read: () => Promise<T[]>): Promise<T[]> {
  for (let waited = 0; ; waited += 100) {
    const rows = await read();
    if (rows.length > 0 || waited >= 5000) return rows;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}
