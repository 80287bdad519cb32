import type { AuthenticatedUser } from '@enforcement/auth';
import { decodeEnvelope, decodePayload, Events } from '@enforcement/contracts';
import { OutboxEventEntity } from '@enforcement/events';
import { OBJECT_STORAGE } from '@enforcement/service-runtime';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { StorageErrorCode, type ObjectStorage } from '@enforcement/storage';
import { useS3, type TestS3 } from '@enforcement/testing';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import * as nodeHttp from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { CaseStateSeal } from '../cases/case-state-seal';
import { CaseEntity } from '../cases/case.entity';
import { CaseRecordEntity } from '../records/case-record.entity';
import { RecordAppenderService } from '../records/record-appender.service';
import { recordingService } from '../service';
import { EvidenceItemEntity } from './evidence-item.entity';
import { EvidenceUploadEntity } from './evidence-upload.entity';
import { EvidenceUploadService } from './evidence-upload.service';
import { EvidenceViewEntity } from './evidence-view.entity';
import { rawRequest, seedCase, seedCertificates } from './test-support/evidence-fixtures';

const MiB = 1024 * 1024;
/** The service's part size (the evidence module's default). */
const PART = 8 * MiB;

const AGENCY_A = '3f1e0c1a-0000-4000-8000-00000000000a';
const AGENCY_B = '3f1e0c1a-0000-4000-8000-00000000000b';
const officerA: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY_A, roles: ['officer'] };
const uncertifiedA: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY_A, roles: ['officer'] };
const officerB: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY_B, roles: ['officer'] };
/** Supervisors (执法监督) sit in a supervising office, not in the agencies they supervise. */
const SUPERVISION_OFFICE = '3f1e0c1a-0000-4000-8000-00000000005e';
const supervisorHuangpu: AuthenticatedUser = {
  userId: randomUUID(),
  agencyId: SUPERVISION_OFFICE,
  roles: ['supervisor'],
  supervisedRegionCode: '310100',
};
const supervisorJiangsu: AuthenticatedUser = {
  userId: randomUUID(),
  agencyId: SUPERVISION_OFFICE,
  roles: ['supervisor'],
  supervisedRegionCode: '320000',
};
const sysadmin: AuthenticatedUser = { userId: randomUUID(), agencyId: '', roles: ['system-admin'] };

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Binary bodies as Buffers, whatever their content type. */
function binary(response: request.Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('audio/video evidence over HTTP on MariaDB and an S3 server', () => {
  let s3: TestS3;
  let sut: ServiceUnderTest;
  let storage: ObjectStorage;
  let dataSource: DataSource;
  let caseA: CaseEntity;
  const tokens = new Map<string, string>();

  const http = () => request(sut.app.getHttpServer() as App);
  const auth = async (user: AuthenticatedUser) => {
    let token = tokens.get(user.userId);
    if (token === undefined) {
      token = await sut.tokenFor(user);
      tokens.set(user.userId, token);
    }
    return { authorization: `Bearer ${token}` };
  };
  const uploadsOf = (caseId: string) => `/cases/${caseId}/evidence/uploads`;
  // Recorded an hour ago: footage uploaded within its agency's limit needs no late-entry reason.
  const window = {
    recordingStartedAt: new Date(Date.now() - 90 * 60_000).toISOString(),
    recordingEndedAt: new Date(Date.now() - 60 * 60_000).toISOString(),
  };

  async function createUpload(sizeBytes: number, user = officerA, caseId = caseA.id) {
    return http()
      .post(uploadsOf(caseId))
      .set(await auth(user))
      .send({ mediaType: 'video/mp4', sizeBytes, deviceId: 'BWC-310101-0042', ...window });
  }

  async function putPart(uploadId: string, partNumber: number | string, body: Buffer, headers: Record<string, string> = {}) {
    return http()
      .put(`${uploadsOf(caseA.id)}/${uploadId}/parts/${partNumber}`)
      .set(await auth(officerA))
      .set('content-type', 'application/octet-stream')
      .set(headers)
      .send(body);
  }

  async function complete(uploadId: string, digest: string, user = officerA) {
    return http()
      .post(`${uploadsOf(caseA.id)}/${uploadId}/complete`)
      .set(await auth(user))
      .send({ sha256: digest });
  }

  /** Uploads `data` in order and seals it; the item's id. */
  async function sealed(data: Buffer): Promise<string> {
    const created = await createUpload(data.length);
    expect(created.status).toBe(201);
    const { uploadId, partSize, partCount } = created.body as { uploadId: string; partSize: number; partCount: number };
    for (let n = 1; n <= partCount; n++) {
      expect((await putPart(uploadId, n, data.subarray((n - 1) * partSize, n * partSize))).status).toBe(200);
    }
    const done = await complete(uploadId, sha256(data));
    expect(done.status).toBe(201);
    return done.body.id as string;
  }

  const caseRow = () => dataSource.manager.findOneByOrFail(CaseEntity, { id: caseA.id });

  beforeAll(async () => {
    s3 = await useS3();
    sut = await startServiceForTest(recordingService, {
      MINIO_ENDPOINT: s3.host,
      MINIO_PORT: String(s3.port),
      MINIO_ACCESS_KEY: s3.accessKey,
      MINIO_SECRET_KEY: s3.secretKey,
      MINIO_BUCKET: s3.bucket,
    });
    storage = sut.app.get<ObjectStorage>(OBJECT_STORAGE);
    dataSource = sut.app.get(DataSource);
    await seedCertificates(
      sut.app,
      [officerA, officerB].map(({ userId, agencyId }) => ({ officerId: userId, agencyId })),
    );
    caseA = await seedCase(sut.app, { agencyId: AGENCY_A, regionCode: '310101', handlingOfficerIds: [officerA.userId] });
  });

  afterAll(async () => {
    await sut?.close();
    await s3?.release();
  });

  it('takes parts out of order, lets a part be sent again, and seals the verified object into the chain', async () => {
    const data = randomBytes(2 * PART + 777);
    const created = await createUpload(data.length);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      uploadId: expect.any(String),
      evidenceId: expect.any(String),
      sizeBytes: data.length,
      partSize: PART,
      partCount: 3,
      expiresAt: expect.any(String),
    });
    const { uploadId, evidenceId } = created.body as { uploadId: string; evidenceId: string };
    const part = (n: number) => data.subarray((n - 1) * PART, n * PART);

    expect((await putPart(uploadId, 3, part(3))).body).toEqual({
      partNumber: 3,
      sizeBytes: 777,
      sha256: sha256(part(3)),
      receivedAt: expect.any(String),
    });
    // Part 2 first arrives damaged (same size, other bytes), then again as it should be: the retry replaces it.
    const damaged = Buffer.from(part(2));
    damaged[12345] ^= 0xff;
    expect((await putPart(uploadId, 2, damaged)).status).toBe(200);
    const progress = await http()
      .get(`${uploadsOf(caseA.id)}/${uploadId}`)
      .set(await auth(officerA));
    expect(progress.body).toMatchObject({ status: 'open', missing: [1], received: [{ partNumber: 2 }, { partNumber: 3 }] });
    expect((await putPart(uploadId, 2, part(2))).body.sha256).toBe(sha256(part(2)));
    expect((await putPart(uploadId, 1, part(1))).status).toBe(200);

    const before = await caseRow();
    const done = await complete(uploadId, sha256(data).toUpperCase());

    expect(done.status).toBe(201);
    expect(done.body).toEqual({
      id: evidenceId,
      caseId: caseA.id,
      sha256: sha256(data),
      sizeBytes: data.length,
      mediaType: 'video/mp4',
      deviceId: 'BWC-310101-0042',
      officerId: officerA.userId,
      ...window,
      stepRecordId: null,
      lateEntryReason: null,
      sealedAt: expect.any(String),
      sealRecordId: expect.any(String),
    });
    expect(await storage.sha256Of(`cases/${caseA.id}/evidence/${evidenceId}`)).toBe(sha256(data));
    const record = await dataSource.manager.findOneByOrFail(CaseRecordEntity, { id: done.body.sealRecordId as string });
    expect(record).toMatchObject({
      caseId: caseA.id,
      sequence: before.recordCount + 1,
      stepType: 'evidence-sealed',
      recordedBy: officerA.userId,
      actingOfficerIds: [officerA.userId],
      evidence: [{ evidenceId, sha256: sha256(data) }],
      fields: { mediaType: 'video/mp4', sizeBytes: data.length, deviceId: 'BWC-310101-0042', ...window },
      previousHash: before.chainHead,
    });
    expect(record.certificates).toEqual([{ officerId: officerA.userId, certificateId: expect.any(String), number: expect.any(String) }]);
    expect((await caseRow()).chainHead).toBe(record.hash);

    const sealedEvents = (await dataSource.manager.find(OutboxEventEntity, { where: { eventType: Events.EvidenceSealed.schema.typeName } }))
      .map((row) => ({ row, envelope: decodeEnvelope(row.payload) }))
      .filter(({ row }) => row.partitionKey === caseA.id);
    const payloads = sealedEvents.map(({ envelope }) => decodePayload(Events.EvidenceSealed, envelope));
    expect(payloads).toContainEqual(
      expect.objectContaining({
        caseId: caseA.id,
        evidenceId,
        sha256: sha256(data),
        sizeBytes: BigInt(data.length),
        deviceId: 'BWC-310101-0042',
      }),
    );

    // A completion repeated after its answer was lost gets the same item; the upload takes nothing more.
    expect((await complete(uploadId, sha256(data))).body.id).toBe(evidenceId);
    expect((await putPart(uploadId, 1, part(1))).body.code).toBe('UPLOAD_CLOSED');
    // Originals are immutable: the upload cannot be cancelled any more, and no route deletes an item.
    const cancel = await http()
      .delete(`${uploadsOf(caseA.id)}/${uploadId}`)
      .set(await auth(officerA));
    expect([cancel.status, cancel.body.code]).toEqual([409, 'EVIDENCE_IMMUTABLE']);
    expect(
      (
        await http()
          .delete(`/evidence/${evidenceId}`)
          .set(await auth(officerA))
      ).status,
    ).toBe(404);
  });

  it('refuses a wrong digest and leaves nothing visible: no object, no item, no chain record', async () => {
    const data = randomBytes(PART + 10);
    const { uploadId, evidenceId } = (await createUpload(data.length)).body as { uploadId: string; evidenceId: string };
    await putPart(uploadId, 1, data.subarray(0, PART));
    await putPart(uploadId, 2, data.subarray(PART));
    const before = await caseRow();

    const refused = await complete(uploadId, sha256(Buffer.from('something else')));

    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'DIGEST_MISMATCH', details: { actualSha256: sha256(data) } });
    expect(refused.body.message).toMatch(/[\u4e00-\u9fff]/);
    await expectNothingVisible(evidenceId, before);
    // The upload is used up: a new one starts over.
    expect((await complete(uploadId, sha256(data))).body.code).toBe('UPLOAD_CLOSED');
    expect((await putPart(uploadId, 1, data.subarray(0, PART))).body.code).toBe('UPLOAD_CLOSED');
  });

  it('refuses an object with a part altered on the way, against the digest of the intended bytes', async () => {
    const data = randomBytes(PART + 4096);
    const { uploadId, evidenceId } = (await createUpload(data.length)).body as { uploadId: string; evidenceId: string };
    const altered = Buffer.from(data.subarray(PART));
    altered[100] ^= 0x01;
    await putPart(uploadId, 1, data.subarray(0, PART));
    await putPart(uploadId, 2, altered);
    const before = await caseRow();

    const refused = await complete(uploadId, sha256(data));

    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('DIGEST_MISMATCH');
    await expectNothingVisible(evidenceId, before);
  });

  it('refuses a damaged part at once when the client sends its digest, keeping the earlier good attempt', async () => {
    const data = randomBytes(PART + 50);
    const { uploadId, evidenceId } = (await createUpload(data.length)).body as { uploadId: string; evidenceId: string };
    const good = data.subarray(PART);
    expect((await putPart(uploadId, 2, good, { 'x-content-sha256': sha256(good) })).status).toBe(200);
    const damaged = Buffer.from(good);
    damaged[0] ^= 0x80;

    const refused = await putPart(uploadId, 2, damaged, { 'x-content-sha256': sha256(good) });

    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'PART_DIGEST_MISMATCH', details: { partNumber: 2, actualSha256: sha256(damaged) } });
    await putPart(uploadId, 1, data.subarray(0, PART));
    const done = await complete(uploadId, sha256(data));
    expect([done.status, done.body.id]).toEqual([201, evidenceId]);
  });

  it('holds every part to its number and size, and completion to all parts', async () => {
    const data = randomBytes(PART + 100);
    const { uploadId } = (await createUpload(data.length)).body as { uploadId: string };
    const codeOf = async (response: Promise<request.Response>) => {
      const { status, body } = await response;
      return [status, body.code as string];
    };

    expect(await codeOf(putPart(uploadId, 0, data.subarray(0, 10)))).toEqual([400, 'PART_OUT_OF_RANGE']);
    expect(await codeOf(putPart(uploadId, 3, data.subarray(0, 10)))).toEqual([400, 'PART_OUT_OF_RANGE']);
    expect(await codeOf(putPart(uploadId, '1.5', data.subarray(0, 10)))).toEqual([400, 'PART_OUT_OF_RANGE']);
    // Too short for a part that is not the last, and too long for the last one.
    expect(await codeOf(putPart(uploadId, 1, data.subarray(0, PART - 1)))).toEqual([400, 'PART_SIZE_MISMATCH']);
    expect(await codeOf(putPart(uploadId, 2, data.subarray(0, 101)))).toEqual([400, 'PART_SIZE_MISMATCH']);
    const asJson = http()
      .put(`${uploadsOf(caseA.id)}/${uploadId}/parts/2`)
      .set(await auth(officerA))
      .send({ bytes: 'not raw' });
    expect(await codeOf(asJson)).toEqual([415, 'PART_CONTENT_TYPE']);
    expect(await codeOf(putPart(randomUUID(), 1, data.subarray(0, 10)))).toEqual([404, 'UPLOAD_NOT_FOUND']);

    await putPart(uploadId, 2, data.subarray(PART));
    const incomplete = await complete(uploadId, sha256(data));
    expect(incomplete.status).toBe(409);
    expect(incomplete.body).toMatchObject({ code: 'PARTS_MISSING', details: { missing: [1] } });
    const progress = await http()
      .get(`${uploadsOf(caseA.id)}/${uploadId}`)
      .set(await auth(officerA));
    expect(progress.body).toMatchObject({ status: 'open', missing: [1], received: [{ partNumber: 2, sizeBytes: 100 }] });
  });

  it('takes a part sent without a length (chunked) and refuses one that runs past its size', async () => {
    const server = sut.app.getHttpServer() as nodeHttp.Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const agent = new nodeHttp.Agent({ keepAlive: false });
    const data = randomBytes(PART + 300);
    const { uploadId, evidenceId } = (await createUpload(data.length)).body as { uploadId: string; evidenceId: string };
    const chunked = async (partNumber: number, bytes: Buffer) =>
      rawRequest(agent, `${base}${uploadsOf(caseA.id)}/${uploadId}/parts/${partNumber}`, {
        method: 'PUT',
        headers: { ...(await auth(officerA)), 'content-type': 'application/octet-stream' },
        // A stream without a length goes out chunked: the server only learns the size by reading.
        body: Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)], { objectMode: false }),
      });

    const tooLong = await chunked(2, data.subarray(PART - 1));
    expect([tooLong.status, JSON.parse(tooLong.body.toString()).code]).toEqual([400, 'PART_SIZE_MISMATCH']);
    expect((await chunked(1, data.subarray(0, PART))).status).toBe(200);
    expect((await chunked(2, data.subarray(PART))).status).toBe(200);
    const done = await complete(uploadId, sha256(data));
    expect([done.status, done.body.id]).toEqual([201, evidenceId]);
    agent.destroy();
  });

  it('seals a verified object on retry when the sealing transaction failed, without assembling it again', async () => {
    const data = randomBytes(1000);
    const { uploadId, evidenceId } = (await createUpload(data.length)).body as { uploadId: string; evidenceId: string };
    await putPart(uploadId, 1, data);
    const appender = sut.app.get(RecordAppenderService, { strict: false });
    const append = jest.spyOn(appender, 'append').mockRejectedValueOnce(new Error('database went away'));
    const completeMultipart = jest.spyOn(storage, 'completeMultipart');

    const failed = await complete(uploadId, sha256(data));

    expect(failed.status).toBe(500);
    expect(await dataSource.manager.existsBy(EvidenceItemEntity, { id: evidenceId })).toBe(false);
    expect(await dataSource.manager.findOneByOrFail(EvidenceUploadEntity, { id: uploadId })).toMatchObject({
      status: 'open',
      storedSha256: sha256(data),
    });
    expect((await putPart(uploadId, 1, data)).body).toMatchObject({ code: 'UPLOAD_CLOSED', details: { status: 'stored' } });
    expect(
      (
        await http()
          .delete(`${uploadsOf(caseA.id)}/${uploadId}`)
          .set(await auth(officerA))
      ).body.code,
    ).toBe('UPLOAD_STORED');
    const retried = await complete(uploadId, sha256(data));
    expect([retried.status, retried.body.id]).toEqual([201, evidenceId]);
    expect(completeMultipart).toHaveBeenCalledTimes(1);
    append.mockRestore();
    completeMultipart.mockRestore();
  });

  it('closes uploads left open past their expiry and discards their parts', async () => {
    const { uploadId } = (await createUpload(100)).body as { uploadId: string };
    await putPart(uploadId, 1, randomBytes(100));
    await dataSource.manager.update(EvidenceUploadEntity, { id: uploadId }, { expiresAt: new Date(Date.now() - 1000) });
    const progress = await http()
      .get(`${uploadsOf(caseA.id)}/${uploadId}`)
      .set(await auth(officerA));
    expect(progress.body.status).toBe('expired');
    expect((await complete(uploadId, sha256(Buffer.alloc(100)))).body).toMatchObject({
      code: 'UPLOAD_CLOSED',
      details: { status: 'expired' },
    });

    expect(await sut.app.get(EvidenceUploadService).abortExpired()).toBeGreaterThanOrEqual(1);

    expect(await dataSource.manager.findOneByOrFail(EvidenceUploadEntity, { id: uploadId })).toMatchObject({
      status: 'aborted',
      closeReason: 'expired',
    });
  });

  it('leaves to its completion an upload stored between the sweep reading it and closing it', async () => {
    const { uploadId } = (await createUpload(100)).body as { uploadId: string };
    await dataSource.manager.update(EvidenceUploadEntity, { id: uploadId }, { expiresAt: new Date(Date.now() - 1000) });
    const find = dataSource.manager.find.bind(dataSource.manager);
    const read = jest.spyOn(dataSource.manager, 'find').mockImplementationOnce(async (...args: Parameters<typeof find>) => {
      const rows = await find(...args);
      // A completion stores and verifies the object right after the sweep's read.
      await dataSource.manager.update(EvidenceUploadEntity, { id: uploadId }, { storedSha256: 'a'.repeat(64) });
      return rows;
    });

    await sut.app.get(EvidenceUploadService).abortExpired();

    read.mockRestore();
    expect(await dataSource.manager.findOneByOrFail(EvidenceUploadEntity, { id: uploadId })).toMatchObject({
      status: 'open',
      closeReason: null,
    });
  });

  it('refuses uploads that cannot be evidence of the case', async () => {
    const create = async (body: Record<string, unknown>) =>
      http()
        .post(uploadsOf(caseA.id))
        .set(await auth(officerA))
        .send({ mediaType: 'video/mp4', sizeBytes: 1000, deviceId: 'BWC-1', ...window, ...body });

    expect((await create({ mediaType: 'text/html' })).body.code).toBe('VALIDATION_FAILED');
    // Played back inline, an SVG or an HTML page would run its script in the viewer's browser.
    for (const mediaType of ['image/svg+xml', 'application/xhtml+xml', 'video/anything', 'image/svg+xml; charset=utf-8']) {
      expect([mediaType, (await create({ mediaType })).body.code]).toEqual([mediaType, 'VALIDATION_FAILED']);
    }
    expect((await create({ mediaType: 'Video/MP4' })).status).toBe(201);
    expect((await create({ sizeBytes: 0 })).body.code).toBe('VALIDATION_FAILED');
    expect((await create({ sizeBytes: 9 * 1024 * MiB })).body.code).toBe('EVIDENCE_TOO_LARGE');
    expect((await create({ recordingStartedAt: window.recordingEndedAt, recordingEndedAt: window.recordingStartedAt })).body.code).toBe(
      'RECORDING_WINDOW_INVALID',
    );
    expect((await create({ stepRecordId: randomUUID() })).body.code).toBe('STEP_RECORD_NOT_FOUND');
    expect((await create({ mediaType: 'application/pdf' })).status).toBe(201);
  });

  it('seals nothing into a case closed while its evidence was on the way, and ends the upload', async () => {
    const data = randomBytes(1000);
    const created = await createUpload(data.length);
    const uploadId = created.body.uploadId as string;
    expect((await putPart(uploadId, 1, data)).status).toBe(200);
    const before = await caseRow();
    // Closed as the service closes a case: its row sealed anew (an unsealed edit would be refused as tampering).
    const closed = { ...before, status: 'closed' as const, closedAt: new Date() };
    const stateSeal = sut.app.get(CaseStateSeal).of(closed);
    await dataSource.manager.update(CaseEntity, { id: caseA.id }, { status: 'closed', closedAt: closed.closedAt, stateSeal });
    try {
      const refused = await complete(uploadId, sha256(data));
      expect([refused.status, refused.body.code]).toEqual([409, 'CASE_CLOSED']);
      expect((await caseRow()).recordCount).toBe(before.recordCount);
      const status = await http()
        .get(`${uploadsOf(caseA.id)}/${uploadId}`)
        .set(await auth(officerA));
      expect(status.body).toMatchObject({ status: 'aborted', closeReason: 'case-closed' });
      expect(await dataSource.manager.countBy(EvidenceItemEntity, { id: created.body.evidenceId as string })).toBe(0);
    } finally {
      await dataSource.manager.update(
        CaseEntity,
        { id: caseA.id },
        { status: before.status, closedAt: before.closedAt, stateSeal: before.stateSeal },
      );
    }
  });

  it('cancels an unfinished upload and takes no parts for it afterwards', async () => {
    const { uploadId } = (await createUpload(100)).body as { uploadId: string };
    expect(
      (
        await http()
          .delete(`${uploadsOf(caseA.id)}/${uploadId}`)
          .set(await auth(officerA))
      ).status,
    ).toBe(204);
    expect(
      (
        await http()
          .delete(`${uploadsOf(caseA.id)}/${uploadId}`)
          .set(await auth(officerA))
      ).status,
    ).toBe(204);
    expect((await putPart(uploadId, 1, randomBytes(100))).body).toMatchObject({ code: 'UPLOAD_CLOSED', details: { status: 'cancelled' } });
    expect((await dataSource.manager.findOneByOrFail(EvidenceUploadEntity, { id: uploadId })).closeReason).toBe('cancelled');
  });

  describe('playback', () => {
    const data = randomBytes(PART + 5000);
    let evidenceId: string;
    const content = async (query: string, headers: Record<string, string> = {}, user = officerA) =>
      http()
        .get(`/evidence/${evidenceId}/content${query}`)
        .set(await auth(user))
        .set(headers)
        .buffer(true)
        .parse(binary);
    const views = () => dataSource.manager.find(EvidenceViewEntity, { where: { evidenceId }, order: { viewedAt: 'ASC' } });

    beforeAll(async () => {
      evidenceId = await sealed(data);
    });

    it('serves the whole object and byte ranges, each equal to what was uploaded', async () => {
      const whole = await content('?purpose=案件审核调阅');
      expect(whole.status).toBe(200);
      expect(whole.headers).toMatchObject({ 'accept-ranges': 'bytes', 'content-type': 'video/mp4', 'cache-control': 'private, no-store' });
      expect(Number(whole.headers['content-length'])).toBe(data.length);
      expect(sha256(whole.body as Buffer)).toBe(sha256(data));

      const middle = await content('?purpose=核对第二段', { range: `bytes=${PART - 10}-${PART + 9}` });
      expect(middle.status).toBe(206);
      expect(middle.headers['content-range']).toBe(`bytes ${PART - 10}-${PART + 9}/${data.length}`);
      expect((middle.body as Buffer).equals(data.subarray(PART - 10, PART + 10))).toBe(true);

      const tail = await content('?purpose=核对结尾', { range: 'bytes=-100' });
      expect(tail.status).toBe(206);
      expect((tail.body as Buffer).equals(data.subarray(data.length - 100))).toBe(true);

      const download = await content('?purpose=移送司法机关&download=true', { range: 'bytes=0-' });
      expect(download.status).toBe(206);
      expect(download.headers['content-disposition']).toBe(`attachment; filename="${evidenceId}"`);
      expect(sha256(download.body as Buffer)).toBe(sha256(data));

      expect((await views()).map((view) => [view.kind, view.byteRange, view.purpose])).toEqual([
        ['playback', null, '案件审核调阅'],
        ['playback', `bytes=${PART - 10}-${PART + 9}`, '核对第二段'],
        ['playback', `bytes=${data.length - 100}-${data.length - 1}`, '核对结尾'],
        ['download', `bytes=0-${data.length - 1}`, '移送司法机关'],
      ]);
    });

    it('refuses a viewing without a purpose and a range past the end, logging neither', async () => {
      const logged = (await views()).length;
      for (const query of ['', '?purpose=', '?purpose=%20%20', '?purpose=x', `?purpose=${'长'.repeat(501)}`]) {
        const refused = await content(query);
        expect([refused.status, JSON.parse((refused.body as Buffer).toString()).code]).toEqual([400, 'PURPOSE_REQUIRED']);
      }
      const beyond = await content('?purpose=核对', { range: `bytes=${data.length}-` });
      expect(beyond.status).toBe(416);
      expect(beyond.headers['content-range']).toBe(`bytes */${data.length}`);
      expect((await views()).length).toBe(logged);
    });

    it('hands out a short-lived presigned URL after logging it', async () => {
      const response = await http()
        .get(`/evidence/${evidenceId}/url?purpose=${encodeURIComponent('播放器直接播放')}&ttlSeconds=60`)
        .set(await auth(supervisorHuangpu));
      expect(response.status).toBe(200);
      const fetched = await fetch(response.body.url as string);
      expect(sha256(Buffer.from(await fetched.arrayBuffer()))).toBe(sha256(data));
      expect((await views()).at(-1)).toMatchObject({ kind: 'presigned-url', userId: supervisorHuangpu.userId, purpose: '播放器直接播放' });

      const tooLong = await http()
        .get(`/evidence/${evidenceId}/url?purpose=核对&ttlSeconds=3600`)
        .set(await auth(officerA));
      expect(tooLong.body.code).toBe('PRESIGN_TTL_INVALID');
    });

    it('lists the case evidence for its readers and refuses everyone else', async () => {
      const listed = await http()
        .get(`/cases/${caseA.id}/evidence`)
        .set(await auth(supervisorHuangpu));
      expect(listed.status).toBe(200);
      expect((listed.body as Array<{ id: string }>).map((item) => item.id)).toContain(evidenceId);
      for (const outsider of [officerB, supervisorJiangsu]) {
        expect(
          (
            await http()
              .get(`/cases/${caseA.id}/evidence`)
              .set(await auth(outsider))
          ).body.code,
        ).toBe('CASE_SCOPE');
        expect(JSON.parse((await content('?purpose=越权调阅', {}, outsider)).body.toString()).code).toBe('CASE_SCOPE');
      }
      expect(
        (
          await http()
            .get(`/evidence/${randomUUID()}`)
            .set(await auth(officerA))
        ).body.code,
      ).toBe('EVIDENCE_NOT_FOUND');
    });

    it('lets supervisors query the viewing log of their region, page by page', async () => {
      const firstByte = await content('?purpose=监督抽查', { range: 'bytes=0-0' }, sysadmin);
      expect([firstByte.status, firstByte.headers['content-range'], (firstByte.body as Buffer).equals(data.subarray(0, 1))]).toEqual([
        206,
        `bytes 0-0/${data.length}`,
        true,
      ]);
      const all = (await views()).length;

      const first = await http()
        .get(`/supervision/evidence-views?caseId=${caseA.id}&limit=2`)
        .set(await auth(supervisorHuangpu));
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(2);
      expect(first.body.items[0]).toMatchObject({
        evidenceId,
        caseId: caseA.id,
        agencyId: AGENCY_A,
        regionCode: '310101',
        userId: sysadmin.userId,
        purpose: '监督抽查',
        kind: 'playback',
        byteRange: 'bytes=0-0',
      });
      const pages = [first.body.items as unknown[]];
      let cursor = first.body.nextCursor as string | null;
      while (cursor) {
        const next = await http()
          .get(`/supervision/evidence-views?caseId=${caseA.id}&limit=2&cursor=${cursor}`)
          .set(await auth(supervisorHuangpu));
        pages.push(next.body.items as unknown[]);
        cursor = next.body.nextCursor as string | null;
      }
      expect(pages.flat()).toHaveLength(all);

      const byAgency = await http()
        .get(`/supervision/evidence-views?agencyId=${AGENCY_A}&from=2020-01-01T00:00:00Z`)
        .set(await auth(sysadmin));
      expect(byAgency.body.items.length).toBe(all);
      const elsewhere = await http()
        .get('/supervision/evidence-views')
        .set(await auth(supervisorJiangsu));
      expect(elsewhere.body).toEqual({ items: [], nextCursor: null });
      const officer = await http()
        .get('/supervision/evidence-views')
        .set(await auth(officerA));
      expect([officer.status, officer.body.code]).toEqual([403, 'ROLE_REQUIRED']);
    });
  });

  it("refuses another agency's officer and an officer without a certificate", async () => {
    const foreign = await createUpload(100, officerB);
    expect([foreign.status, foreign.body.code]).toEqual([403, 'CASE_SCOPE']);
    const uncertified = await createUpload(100, uncertifiedA);
    expect([uncertified.status, uncertified.body.code]).toEqual([403, 'CERTIFICATE_MISSING']);

    const { uploadId } = (await createUpload(100)).body as { uploadId: string };
    const foreignPart = await http()
      .put(`${uploadsOf(caseA.id)}/${uploadId}/parts/1`)
      .set(await auth(officerB))
      .set('content-type', 'application/octet-stream')
      .send(randomBytes(100));
    expect([foreignPart.status, foreignPart.body.code]).toEqual([403, 'CASE_SCOPE']);
    const foreignComplete = await complete(uploadId, sha256(Buffer.alloc(0)), officerB);
    expect([foreignComplete.status, foreignComplete.body.code]).toEqual([403, 'CASE_SCOPE']);
    const foreignStatus = await http()
      .get(`${uploadsOf(caseA.id)}/${uploadId}`)
      .set(await auth(officerB));
    expect(foreignStatus.body.code).toBe('CASE_SCOPE');
  });

  async function expectNothingVisible(evidenceId: string, before: CaseEntity): Promise<void> {
    const key = `cases/${caseA.id}/evidence/${evidenceId}`;
    await expect(storage.stat(key)).rejects.toMatchObject({ code: StorageErrorCode.ObjectNotFound });
    expect(await dataSource.manager.existsBy(EvidenceItemEntity, { id: evidenceId })).toBe(false);
    const after = await caseRow();
    expect([after.recordCount, after.chainHead]).toEqual([before.recordCount, before.chainHead]);
    const listed = await http()
      .get(`/cases/${caseA.id}/evidence`)
      .set(await auth(officerA));
    expect((listed.body as Array<{ id: string }>).map((item) => item.id)).not.toContain(evidenceId);
    expect((await dataSource.manager.findOneByOrFail(EvidenceUploadEntity, { evidenceId })).status).toBe('aborted');
  }
});

describe('audio/video evidence on local disk (embedded mode)', () => {
  let sut: ServiceUnderTest;
  const officer: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY_A, roles: ['officer'] };

  beforeAll(async () => {
    sut = await startServiceForTest(recordingService);
    await seedCertificates(sut.app, [{ officerId: officer.userId, agencyId: AGENCY_A }]);
  });

  afterAll(() => sut?.close());

  it('seals and plays back, and answers 501 for a presigned URL the disk cannot give', async () => {
    const http = () => request(sut.app.getHttpServer() as App);
    const authorization = `Bearer ${await sut.tokenFor(officer)}`;
    const caseRow = await seedCase(sut.app, { agencyId: AGENCY_A });
    const data = randomBytes(3000);
    const created = await http()
      .post(`/cases/${caseRow.id}/evidence/uploads`)
      .set({ authorization })
      .send({
        mediaType: 'audio/mpeg',
        sizeBytes: data.length,
        deviceId: '录音笔-01',
        recordingStartedAt: new Date(Date.now() - 60_000).toISOString(),
        recordingEndedAt: new Date(Date.now() - 55_000).toISOString(),
      });
    expect(created.status).toBe(201);
    const { uploadId, evidenceId } = created.body as { uploadId: string; evidenceId: string };
    await http()
      .put(`/cases/${caseRow.id}/evidence/uploads/${uploadId}/parts/1`)
      .set({ authorization, 'content-type': 'application/octet-stream' })
      .send(data)
      .expect(200);
    await http()
      .post(`/cases/${caseRow.id}/evidence/uploads/${uploadId}/complete`)
      .set({ authorization })
      .send({ sha256: sha256(data) })
      .expect(201);

    const range = await http()
      .get(`/evidence/${evidenceId}/content?purpose=复核`)
      .set({ authorization, range: 'bytes=10-19' })
      .buffer(true)
      .parse(binary);
    expect(range.status).toBe(206);
    expect((range.body as Buffer).equals(data.subarray(10, 20))).toBe(true);
    const url = await http().get(`/evidence/${evidenceId}/url?purpose=复核`).set({ authorization });
    expect([url.status, url.body.code]).toEqual([501, 'PRESIGN_NOT_SUPPORTED']);
    const logged = await sut.app.get(DataSource).manager.find(EvidenceViewEntity, { where: { evidenceId } });
    expect(logged.map((view) => view.kind)).toEqual(['playback']);
  });
});
