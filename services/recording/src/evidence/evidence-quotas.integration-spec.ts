import type { AuthenticatedUser } from '@enforcement/auth';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { useS3, type TestS3 } from '@enforcement/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types';
import type { CaseEntity } from '../cases/case.entity';
import { recordingService } from '../service';
import { seedCase, seedCertificates } from './test-support/evidence-fixtures';

const AGENCY = '3f1e0c1a-0000-4000-8000-0000000000b7';
const [a, b]: AuthenticatedUser[] = [0, 1].map(() => ({ userId: randomUUID(), agencyId: AGENCY, roles: ['officer'] }));
/** Recorded an hour ago, within the footage limit. */
const window = {
  recordingStartedAt: new Date(Date.now() - 90 * 60_000).toISOString(),
  recordingEndedAt: new Date(Date.now() - 60 * 60_000).toISOString(),
};

/** Issue #11: open uploads are bounded per case and per officer, in number and in declared bytes. */
describe('evidence upload quotas (HTTP, MariaDB, S3)', () => {
  let s3: TestS3;
  let sut: ServiceUnderTest;
  let first: CaseEntity;
  let second: CaseEntity;
  const http = () => request(sut.app.getHttpServer() as App);
  const create = async (user: AuthenticatedUser, caseId: string, sizeBytes = 1000) =>
    http()
      .post(`/cases/${caseId}/evidence/uploads`)
      .set('authorization', `Bearer ${await sut.tokenFor(user)}`)
      .send({ mediaType: 'video/mp4', sizeBytes, deviceId: 'BWC-Q-1', ...window });
  const abort = async (user: AuthenticatedUser, caseId: string, uploadId: string) =>
    http()
      .delete(`/cases/${caseId}/evidence/uploads/${uploadId}`)
      .set('authorization', `Bearer ${await sut.tokenFor(user)}`);

  beforeAll(async () => {
    s3 = await useS3();
    sut = await startServiceForTest(recordingService, {
      MINIO_ENDPOINT: s3.host,
      MINIO_PORT: String(s3.port),
      MINIO_ACCESS_KEY: s3.accessKey,
      MINIO_SECRET_KEY: s3.secretKey,
      MINIO_BUCKET: s3.bucket,
      EVIDENCE_MAX_OPEN_UPLOADS_PER_CASE: '2',
      EVIDENCE_MAX_OPEN_UPLOADS_PER_OFFICER: '3',
      EVIDENCE_MAX_OPEN_BYTES_PER_OFFICER: '5000',
    });
    await seedCertificates(
      sut.app,
      [a, b].map(({ userId, agencyId }) => ({ officerId: userId, agencyId })),
    );
    first = await seedCase(sut.app, { agencyId: AGENCY, regionCode: '310101', handlingOfficerIds: [a.userId, b.userId] });
    second = await seedCase(sut.app, { agencyId: AGENCY, regionCode: '310101', handlingOfficerIds: [a.userId, b.userId] });
  });

  afterAll(async () => {
    await sut?.close();
    await s3?.release();
  });

  it('refuses an upload over the case’s, then the officer’s, bound, and takes one again once another ends', async () => {
    const one = await create(a, first.id);
    expect((await create(b, first.id)).status).toBe(201);
    const caseFull = await create(b, first.id);
    expect([caseFull.status, caseFull.body.code, caseFull.body.details]).toEqual([
      422,
      'UPLOAD_QUOTA_EXCEEDED',
      { scope: 'case', what: 'uploads', limit: 2 },
    ]);

    // Officer a holds one in the first case and two in the second: three, its bound, wherever the fourth would go.
    expect((await create(a, second.id)).status).toBe(201);
    expect((await create(a, second.id)).status).toBe(201);
    const fresh = await seedCase(sut.app, { agencyId: AGENCY, regionCode: '310101', handlingOfficerIds: [a.userId] });
    const officerFull = await create(a, fresh.id);
    expect([officerFull.status, officerFull.body.details]).toEqual([422, { scope: 'officer', what: 'uploads', limit: 3 }]);

    expect((await abort(a, first.id, one.body.uploadId as string)).status).toBe(204);
    expect((await create(a, fresh.id)).status).toBe(201);
  });

  it('bounds the bytes an officer’s open uploads declare together', async () => {
    const other: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY, roles: ['officer'] };
    await seedCertificates(sut.app, [{ officerId: other.userId, agencyId: AGENCY }]);
    const third = await seedCase(sut.app, { agencyId: AGENCY, regionCode: '310101', handlingOfficerIds: [other.userId] });

    expect((await create(other, third.id, 4000)).status).toBe(201);
    const tooMuch = await create(other, third.id, 1001);
    expect([tooMuch.status, tooMuch.body.details]).toEqual([422, { scope: 'officer', what: 'bytes', limit: 5000 }]);
    expect((await create(other, third.id, 1000)).status).toBe(201);
  });
});
