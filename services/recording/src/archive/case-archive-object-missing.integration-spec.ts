import type { AuthenticatedUser } from '@enforcement/auth';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { useS3, type TestS3 } from '@enforcement/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'minio';
import request from 'supertest';
import type { App } from 'supertest/types';
import { seedCase, seedCertificates } from '../evidence/test-support/evidence-fixtures';
import { recordingService } from '../service';
import { CaseArchiverService } from './case-archiver.service';

const AGENCY = '3f1e0c1a-0000-4000-8000-00000000020a';
const officer: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY, roles: ['officer'] };

/** An archive listed in the database but gone from storage: an immutable object was removed behind the service's back. */
describe('a case archive missing from object storage (whole service on MariaDB and S3)', () => {
  let s3: TestS3;
  let sut: ServiceUnderTest;

  beforeAll(async () => {
    s3 = await useS3();
    sut = await startServiceForTest(recordingService, {
      MINIO_ENDPOINT: s3.host,
      MINIO_PORT: String(s3.port),
      MINIO_ACCESS_KEY: s3.accessKey,
      MINIO_SECRET_KEY: s3.secretKey,
      MINIO_BUCKET: s3.bucket,
    });
    await seedCertificates(sut.app, [{ officerId: officer.userId, agencyId: AGENCY }]);
  });

  afterAll(async () => {
    await sut?.close();
    await s3?.release();
  });

  it('answers 404 ARCHIVE_OBJECT_MISSING for the latest archive and its version, not ARCHIVE_NOT_FOUND, and keeps listing it', async () => {
    const http = () => request(sut.app.getHttpServer() as App);
    const authorization = `Bearer ${await sut.tokenFor(officer)}`;
    const caseId = (await seedCase(sut.app, { agencyId: AGENCY, handlingOfficerIds: [officer.userId] })).id;
    const archived = await sut.app.get(CaseArchiverService).archive(caseId);
    const purpose = { purpose: '行政复议答复材料' };
    const latest = () => http().get(`/cases/${caseId}/archive`).query(purpose).set({ authorization });
    expect((await latest()).status).toBe(200);

    const direct = new Client({
      endPoint: s3.host,
      port: s3.port,
      useSSL: false,
      accessKey: s3.accessKey,
      secretKey: s3.secretKey,
      region: s3.region,
    });
    await direct.removeObject(s3.bucket, archived.objectKey);

    const gone = await latest();
    expect([gone.status, gone.body.code]).toEqual([404, 'ARCHIVE_OBJECT_MISSING']);
    const versions = await http().get(`/cases/${caseId}/archives`).set({ authorization });
    expect((versions.body as Array<{ sha256: string }>).map((version) => version.sha256)).toEqual([archived.sha256]);
    const version = await http()
      .get(`/cases/${caseId}/archives/${(versions.body as Array<{ id: string }>)[0].id}`)
      .query(purpose)
      .set({ authorization });
    expect([version.status, version.body.code]).toEqual([404, 'ARCHIVE_OBJECT_MISSING']);
  });
});
