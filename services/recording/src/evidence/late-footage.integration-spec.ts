import type { AuthenticatedUser } from '@enforcement/auth';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { CaseRecordEntity } from '../records/case-record.entity';
import { recordingService } from '../service';
import { EvidenceUploadEntity } from './evidence-upload.entity';
import { seedCase, seedCertificates } from './test-support/evidence-fixtures';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const [AGENCY_A, AGENCY_B, AGENCY_C] = ['a', 'b', 'c'].map((n) => `3f1e0c1a-0000-4000-8000-0000000001f${n}`);
const officers = [AGENCY_A, AGENCY_B, AGENCY_C].map((agencyId): AuthenticatedUser => ({
  userId: randomUUID(),
  agencyId,
  roles: ['officer'],
}));
const adminOf = (agencyId: string): AuthenticatedUser => ({ userId: randomUUID(), agencyId, roles: ['agency-admin'] });
const supervisor: AuthenticatedUser = {
  userId: randomUUID(),
  agencyId: '3f1e0c1a-0000-4000-8000-00000000005e',
  roles: ['supervisor'],
  supervisedRegionCode: '310000',
};
const REASON = '现场无网络，执法记录仪返回单位后次日导出上传';
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const iso = (at: number) => new Date(at).toISOString();

/**
 * Issue #10, honest times: body-camera footage is uploaded within its agency's limit (default 24 hours after the
 * recording ended). Later footage is sealed only with a reason, flagged, and listed for supervisors with the late
 * entries; without one it is refused with LATE_ENTRY_REASON_REQUIRED.
 */
describe('footage uploaded late (HTTP, MariaDB, local disk)', () => {
  let sut: ServiceUnderTest;
  const caseOf = new Map<string, string>();
  const http = () => request(sut.app.getHttpServer() as App);
  const auth = async (user: AuthenticatedUser) => ({ authorization: `Bearer ${await sut.tokenFor(user)}` });

  const create = async (officer: AuthenticatedUser, body: Record<string, unknown>) =>
    http()
      .post(`/cases/${caseOf.get(officer.agencyId)}/evidence/uploads`)
      .set(await auth(officer))
      .send({ mediaType: 'video/mp4', sizeBytes: 1000, deviceId: 'BWC-LATE-01', ...body });
  const sendPart = async (officer: AuthenticatedUser, uploadId: string, data: Buffer) =>
    http()
      .put(`/cases/${caseOf.get(officer.agencyId)}/evidence/uploads/${uploadId}/parts/1`)
      .set({ ...(await auth(officer)), 'content-type': 'application/octet-stream' })
      .send(data)
      .expect(200);
  const complete = async (officer: AuthenticatedUser, uploadId: string, data: Buffer, extra: Record<string, unknown> = {}) =>
    http()
      .post(`/cases/${caseOf.get(officer.agencyId)}/evidence/uploads/${uploadId}/complete`)
      .set(await auth(officer))
      .send({ sha256: sha256(data), ...extra });
  /** Uploads and seals footage recorded over `window`; the completion's response. */
  async function upload(officer: AuthenticatedUser, window: { from: number; to: number }, extra: Record<string, unknown> = {}) {
    const data = randomBytes(1000);
    const created = await create(officer, { recordingStartedAt: iso(window.from), recordingEndedAt: iso(window.to), ...extra });
    expect(created.status).toBe(201);
    await sendPart(officer, created.body.uploadId as string, data);
    return complete(officer, created.body.uploadId as string, data);
  }
  const lateEntries = async () =>
    (
      await http()
        .get('/supervision/late-entries')
        .set(await auth(supervisor))
        .expect(200)
    ).body.items as Array<Record<string, unknown>>;

  beforeAll(async () => {
    sut = await startServiceForTest(recordingService, { EVIDENCE_FIXITY_SWEEP: 'false' });
    await seedCertificates(
      sut.app,
      officers.map(({ userId, agencyId }) => ({ officerId: userId, agencyId })),
    );
    for (const officer of officers) {
      caseOf.set(officer.agencyId, (await seedCase(sut.app, { agencyId: officer.agencyId, handlingOfficerIds: [officer.userId] })).id);
    }
  });

  afterAll(() => sut?.close());

  it('refuses footage past 24 hours without a reason, before taking any bytes', async () => {
    const now = Date.now();
    const window = { recordingStartedAt: iso(now - 31 * HOUR), recordingEndedAt: iso(now - 30 * HOUR) };

    for (const lateEntryReason of [undefined, '   ']) {
      const refused = await create(officers[0], { ...window, lateEntryReason });
      expect([refused.status, refused.body.code]).toEqual([400, 'LATE_ENTRY_REASON_REQUIRED']);
      expect(refused.body.details).toMatchObject({ recordingEndedAt: window.recordingEndedAt, limitMinutes: 1440 });
    }
    expect(await sut.app.get(DataSource).manager.countBy(EvidenceUploadEntity, { caseId: caseOf.get(AGENCY_A) })).toBe(0);
  });

  it('seals late footage with its reason, in the chain, and lists it for supervisors at the time it was recorded', async () => {
    const now = Date.now();
    const window = { from: now - 31 * HOUR, to: now - 30 * HOUR };

    const sealed = await upload(officers[0], window, { lateEntryReason: `  ${REASON} ` });

    expect(sealed.status).toBe(201);
    expect(sealed.body.lateEntryReason).toBe(REASON);
    const record = await sut.app.get(DataSource).manager.findOneByOrFail(CaseRecordEntity, { id: sealed.body.sealRecordId as string });
    expect(record.fields).toMatchObject({ lateEntryReason: REASON });
    expect(await lateEntries()).toContainEqual(
      expect.objectContaining({
        recordId: record.id,
        caseId: caseOf.get(AGENCY_A),
        stepType: 'evidence-sealed',
        occurredAt: iso(window.to),
        reason: REASON,
      }),
    );
  });

  it('takes footage within the limit, and photographs at any time, without a reason and off the list', async () => {
    const now = Date.now();
    const timely = await upload(officers[0], { from: now - 23 * HOUR, to: now - 22 * HOUR });
    expect([timely.status, timely.body.lateEntryReason]).toEqual([201, null]);

    const data = randomBytes(1000);
    const photo = await create(officers[0], {
      mediaType: 'image/jpeg',
      recordingStartedAt: iso(now - 30 * 24 * HOUR),
      recordingEndedAt: iso(now - 30 * 24 * HOUR),
    });
    expect(photo.status).toBe(201);
    await sendPart(officers[0], photo.body.uploadId as string, data);
    const photoSealed = await complete(officers[0], photo.body.uploadId as string, data);
    expect([photoSealed.status, photoSealed.body.lateEntryReason]).toEqual([201, null]);

    const listed = (await lateEntries()).map((entry) => entry.recordId);
    expect(listed).not.toContain(timely.body.sealRecordId);
    expect(listed).not.toContain(photoSealed.body.sealRecordId);
  });

  it("holds footage to its own agency's limit", async () => {
    const set = await http()
      .put(`/agencies/${AGENCY_B}/procedure-settings`)
      .set(await auth(adminOf(AGENCY_B)))
      .send({ footageUploadLimitMinutes: 60 });
    expect([set.status, set.body.footageUploadLimitMinutes, set.body.lateEntryLimitMinutes]).toEqual([200, 60, 1440]);
    const now = Date.now();
    const window = { recordingStartedAt: iso(now - 3 * HOUR), recordingEndedAt: iso(now - 2 * HOUR) };

    expect((await create(officers[1], window)).body.code).toBe('LATE_ENTRY_REASON_REQUIRED');
    // Two hours is well within the default limit of agency A.
    expect((await create(officers[0], window)).status).toBe(201);
    const outOfRange = await http()
      .put(`/agencies/${AGENCY_B}/procedure-settings`)
      .set(await auth(adminOf(AGENCY_B)))
      .send({ footageUploadLimitMinutes: 5 });
    expect(outOfRange.status).toBe(400);
  });

  it('asks for the reason at completion when footage became late while it was uploaded, and keeps the upload open', async () => {
    await http()
      .put(`/agencies/${AGENCY_C}/procedure-settings`)
      .set(await auth(adminOf(AGENCY_C)))
      .send({ footageUploadLimitMinutes: 10 })
      .expect(200);
    const now = Date.now();
    const data = randomBytes(1000);
    const created = await create(officers[2], {
      recordingStartedAt: iso(now - 20 * MINUTE),
      recordingEndedAt: iso(now - 10 * MINUTE + 2500),
    });
    expect(created.status).toBe(201);
    const uploadId = created.body.uploadId as string;
    await sendPart(officers[2], uploadId, data);
    await new Promise((resolve) => setTimeout(resolve, 3000));

    const refused = await complete(officers[2], uploadId, data);
    expect([refused.status, refused.body.code]).toEqual([400, 'LATE_ENTRY_REASON_REQUIRED']);
    expect(await sut.app.get(DataSource).manager.findOneByOrFail(EvidenceUploadEntity, { id: uploadId })).toMatchObject({ status: 'open' });

    const sealed = await complete(officers[2], uploadId, data, { lateEntryReason: REASON });
    expect([sealed.status, sealed.body.lateEntryReason]).toEqual([201, REASON]);
  });
});
