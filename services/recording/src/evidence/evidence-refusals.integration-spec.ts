import type { AuthenticatedUser } from '@enforcement/auth';
import { OBJECT_STORAGE } from '@enforcement/service-runtime';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import type { ObjectStorage } from '@enforcement/storage';
import { useS3, type TestS3 } from '@enforcement/testing';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'minio';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { RecordAppenderService } from '../records/record-appender.service';
import { recordingService } from '../service';
import { EvidenceItemEntity } from './evidence-item.entity';
import { EvidenceUploadPartEntity } from './evidence-upload-part.entity';
import { EvidenceUploadEntity } from './evidence-upload.entity';
import { seedCase, seedCertificates } from './test-support/evidence-fixtures';

/*
 * The evidence API's refusals that evidence.integration-spec.ts does not reach: a malformed part digest, a byte
 * range the object cannot give, parts or an assembled object of another size than declared, an upload another replica is sealing, a case record that moves on under a sealing,
 * an original gone from storage.
 */

const PART = 8 * 1024 * 1024;
const AGENCY = '3f1e0c1a-0000-4000-8000-00000000010a';
const officer: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY, roles: ['officer'] };
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('refusals of the evidence API over HTTP on MariaDB and an S3 server', () => {
  let s3: TestS3;
  let sut: ServiceUnderTest;
  let dataSource: DataSource;
  let caseId: string;
  let authorization: string;

  const http = () => request(sut.app.getHttpServer() as App);
  const uploads = () => `/cases/${caseId}/evidence/uploads`;

  async function createUpload(sizeBytes: number) {
    const created = await http()
      .post(uploads())
      .set({ authorization })
      .send({
        mediaType: 'video/mp4',
        sizeBytes,
        deviceId: 'BWC-310101-0042',
        // Recorded an hour ago: within the footage limit, no late-entry reason needed.
        recordingStartedAt: new Date(Date.now() - 90 * 60_000).toISOString(),
        recordingEndedAt: new Date(Date.now() - 60 * 60_000).toISOString(),
      });
    expect(created.status).toBe(201);
    return created.body as { uploadId: string; evidenceId: string };
  }

  const putPart = (uploadId: string, partNumber: number, body: Buffer, headers: Record<string, string> = {}) =>
    http()
      .put(`${uploads()}/${uploadId}/parts/${partNumber}`)
      .set({ authorization, 'content-type': 'application/octet-stream', ...headers })
      .send(body);
  const complete = (uploadId: string, data: Buffer) =>
    http()
      .post(`${uploads()}/${uploadId}/complete`)
      .set({ authorization })
      .send({ sha256: sha256(data) });
  const cancel = (uploadId: string) => http().delete(`${uploads()}/${uploadId}`).set({ authorization });
  const play = (evidenceId: string, range?: string) =>
    http()
      .get(`/evidence/${evidenceId}/content?purpose=${encodeURIComponent('核对原件')}`)
      .set({ authorization, ...(range === undefined ? {} : { range }) })
      .buffer(true)
      .parse((response, callback) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => callback(null, Buffer.concat(chunks)));
      });
  const codeOf = (body: unknown) => (JSON.parse((body as Buffer).toString()) as { code: string }).code;

  async function sealed(data: Buffer): Promise<string> {
    const { uploadId } = await createUpload(data.length);
    expect((await putPart(uploadId, 1, data)).status).toBe(200);
    const done = await complete(uploadId, data);
    expect(done.status).toBe(201);
    return done.body.id as string;
  }

  beforeAll(async () => {
    s3 = await useS3();
    sut = await startServiceForTest(recordingService, {
      MINIO_ENDPOINT: s3.host,
      MINIO_PORT: String(s3.port),
      MINIO_ACCESS_KEY: s3.accessKey,
      MINIO_SECRET_KEY: s3.secretKey,
      MINIO_BUCKET: s3.bucket,
    });
    dataSource = sut.app.get(DataSource);
    await seedCertificates(sut.app, [{ officerId: officer.userId, agencyId: AGENCY }]);
    caseId = (await seedCase(sut.app, { agencyId: AGENCY, regionCode: '310101', handlingOfficerIds: [officer.userId] })).id;
    authorization = `Bearer ${await sut.tokenFor(officer)}`;
  });

  afterAll(async () => {
    await sut?.close();
    await s3?.release();
  });

  it('refuses a part digest that is no SHA-256 (PART_DIGEST_INVALID) rather than taking the part unchecked', async () => {
    const data = randomBytes(500);
    const { uploadId } = await createUpload(data.length);
    for (const malformed of ['abc', `${sha256(data)}0`, sha256(data).replace(/.$/, 'g')]) {
      const refused = await putPart(uploadId, 1, data, { 'x-content-sha256': malformed });
      expect([refused.status, refused.body.code]).toEqual([400, 'PART_DIGEST_INVALID']);
    }
    const progress = await http().get(`${uploads()}/${uploadId}`).set({ authorization });
    expect(progress.body).toMatchObject({ missing: [1], received: [] });
    expect((await putPart(uploadId, 1, data, { 'x-content-sha256': sha256(data).toUpperCase() })).status).toBe(200);
  });

  it('answers 416 RANGE_NOT_SATISFIABLE for a range past the end or backwards, and serves one that fits', async () => {
    const data = randomBytes(1000);
    const evidenceId = await sealed(data);
    for (const range of ['bytes=1000-', 'bytes=20-10', 'bytes=-0']) {
      const refused = await play(evidenceId, range);
      expect([refused.status, codeOf(refused.body), refused.headers['content-range']]).toEqual([
        416,
        'RANGE_NOT_SATISFIABLE',
        'bytes */1000',
      ]);
    }
    const last = await play(evidenceId, 'bytes=999-');
    expect([last.status, (last.body as Buffer).equals(data.subarray(999))]).toEqual([206, true]);
  });

  it('refuses parts, a cancellation and a completion of an upload another replica is sealing (UPLOAD_BUSY)', async () => {
    const data = randomBytes(PART + 10);
    const { uploadId, evidenceId } = await createUpload(data.length);
    expect((await putPart(uploadId, 1, data.subarray(0, PART))).status).toBe(200);
    expect((await putPart(uploadId, 2, data.subarray(PART))).status).toBe(200);
    // Another replica's live claim, as its completion leaves the row while it assembles and verifies the object.
    await dataSource.manager.update(EvidenceUploadEntity, { id: uploadId }, { status: 'sealing', sealingStartedAt: new Date() });

    const resent = await putPart(uploadId, 2, data.subarray(PART));
    expect([resent.status, resent.body.code]).toEqual([409, 'UPLOAD_BUSY']);
    const cancelled = await cancel(uploadId);
    expect([cancelled.status, cancelled.body.code]).toEqual([409, 'UPLOAD_BUSY']);
    const competing = await complete(uploadId, data);
    expect([competing.status, competing.body.code]).toEqual([409, 'UPLOAD_BUSY']);
    expect(await dataSource.manager.existsBy(EvidenceItemEntity, { id: evidenceId })).toBe(false);

    // The other replica gives the claim back after a failure: the upload goes on where it was.
    await dataSource.manager.update(EvidenceUploadEntity, { id: uploadId }, { status: 'open', sealingStartedAt: null });
    const done = await complete(uploadId, data);
    expect([done.status, done.body.id]).toEqual([201, evidenceId]);
  });

  it('refuses to seal when the parts on record do not add up to the declared size (SIZE_MISMATCH), before storage is asked', async () => {
    const data = randomBytes(400);
    const { uploadId, evidenceId } = await createUpload(data.length);
    expect((await putPart(uploadId, 1, data)).status).toBe(200);
    // A part row altered behind the service's back: its size no longer matches what was stored.
    await dataSource.manager.update(EvidenceUploadPartEntity, { uploadId, partNumber: 1 }, { sizeBytes: data.length - 1 });
    const completeMultipart = jest.spyOn(sut.app.get<ObjectStorage>(OBJECT_STORAGE), 'completeMultipart');

    const refused = await complete(uploadId, data);

    const storageCalls = completeMultipart.mock.calls.length;
    completeMultipart.mockRestore();
    expect([refused.status, refused.body.code]).toEqual([422, 'SIZE_MISMATCH']);
    expect(refused.body.details).toEqual({ declaredSize: 400, storedSize: 399 });
    expect(storageCalls).toBe(0);
    expect(await dataSource.manager.existsBy(EvidenceItemEntity, { id: evidenceId })).toBe(false);
  });

  it('never seals an object whose stored size is not the declared one (SIZE_MISMATCH), and ends the upload', async () => {
    const data = randomBytes(500);
    const { uploadId, evidenceId } = await createUpload(data.length);
    expect((await putPart(uploadId, 1, data)).status).toBe(200);
    // A storage adapter that assembled something else than the parts it was given, its digest unchecked.
    const storage = sut.app.get<ObjectStorage>(OBJECT_STORAGE);
    const assemble = storage.completeMultipart.bind(storage);
    const faulty = jest
      .spyOn(storage, 'completeMultipart')
      .mockImplementationOnce(async (...args) => ({ ...(await assemble(...args)), size: data.length + 1 }));

    const refused = await complete(uploadId, data);

    faulty.mockRestore();
    expect([refused.status, refused.body.code]).toEqual([422, 'SIZE_MISMATCH']);
    expect(refused.body.details).toEqual({ declaredSize: 500, storedSize: 501 });
    expect(await dataSource.manager.existsBy(EvidenceItemEntity, { id: evidenceId })).toBe(false);
    expect(await dataSource.manager.findOneByOrFail(EvidenceUploadEntity, { id: uploadId })).toMatchObject({
      status: 'aborted',
      closeReason: 'size-mismatch',
    });
  });

  describe('a sealing whose case record moves on meanwhile', () => {
    /** Completions that each append to the case between a sealing's read of the case and its own append. */
    let interlopers: Array<{ uploadId: string; data: Buffer }> = [];
    let appendSpy: jest.SpyInstance;

    async function interloper() {
      const data = randomBytes(100);
      const { uploadId } = await createUpload(data.length);
      expect((await putPart(uploadId, 1, data)).status).toBe(200);
      return { uploadId, data };
    }

    beforeEach(() => {
      const appender = sut.app.get(RecordAppenderService, { strict: false });
      const append = appender.append.bind(appender);
      let inside = false;
      appendSpy = jest.spyOn(appender, 'append').mockImplementation(async (...args) => {
        const next = inside ? undefined : interlopers.shift();
        if (next) {
          inside = true;
          try {
            expect((await complete(next.uploadId, next.data)).status).toBe(201);
          } finally {
            inside = false;
          }
        }
        return append(...args);
      });
    });

    afterEach(() => {
      appendSpy.mockRestore();
      interlopers = [];
    });

    it('seals on the new chain head when another record came first', async () => {
      const data = randomBytes(300);
      const { uploadId, evidenceId } = await createUpload(data.length);
      expect((await putPart(uploadId, 1, data)).status).toBe(200);
      interlopers = [await interloper()];
      const before = (await http().get(`/cases/${caseId}/records`).set({ authorization })).body as unknown[];

      const done = await complete(uploadId, data);

      expect([done.status, done.body.id]).toEqual([201, evidenceId]);
      const after = (await http().get(`/cases/${caseId}/records`).set({ authorization })).body as Array<{
        evidence: Array<{ evidenceId: string }>;
      }>;
      expect(after).toHaveLength(before.length + 2);
      expect(after.at(-1)?.evidence.map((item) => item.evidenceId)).toEqual([evidenceId]);
    });

    it('answers 409 CONCURRENT_CHANGE when the record keeps moving, seals nothing and lets the upload be completed later', async () => {
      const data = randomBytes(300);
      const { uploadId, evidenceId } = await createUpload(data.length);
      expect((await putPart(uploadId, 1, data)).status).toBe(200);
      interlopers = [await interloper(), await interloper(), await interloper()];

      const refused = await complete(uploadId, data);

      expect([refused.status, refused.body.code]).toEqual([409, 'CONCURRENT_CHANGE']);
      expect(interlopers).toEqual([]);
      expect(await dataSource.manager.existsBy(EvidenceItemEntity, { id: evidenceId })).toBe(false);
      expect(await dataSource.manager.findOneByOrFail(EvidenceUploadEntity, { id: uploadId })).toMatchObject({ status: 'open' });
      const retried = await complete(uploadId, data);
      expect([retried.status, retried.body.id]).toEqual([201, evidenceId]);
    });
  });

  it('answers EVIDENCE_OBJECT_MISSING, a fault, for a sealed item whose original is gone from storage', async () => {
    const evidenceId = await sealed(randomBytes(2000));
    const item = await dataSource.manager.findOneByOrFail(EvidenceItemEntity, { id: evidenceId });
    expect((await play(evidenceId)).status).toBe(200);
    const direct = new Client({
      endPoint: s3.host,
      port: s3.port,
      useSSL: false,
      accessKey: s3.accessKey,
      secretKey: s3.secretKey,
      region: s3.region,
    });
    await direct.removeObject(s3.bucket, item.objectKey);

    const missing = await play(evidenceId);
    expect([missing.status, codeOf(missing.body)]).toEqual([500, 'EVIDENCE_OBJECT_MISSING']);
  });
});
