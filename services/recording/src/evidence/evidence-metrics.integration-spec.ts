import type { AuthenticatedUser } from '@enforcement/auth';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { useS3, type TestS3 } from '@enforcement/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types';
import type { CaseEntity } from '../cases/case.entity';
import { recordingService } from '../service';
import { seedCase, seedCertificates } from './test-support/evidence-fixtures';

const AGENCY = '3f1e0c1a-0000-4000-8000-0000000000c3';
const officer: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY, roles: ['officer'] };
const window = {
  recordingStartedAt: new Date(Date.now() - 90 * 60_000).toISOString(),
  recordingEndedAt: new Date(Date.now() - 60 * 60_000).toISOString(),
};

/** Issue #14: evidence_uploaded_bytes_total counts the bytes recording stored, and only those. */
describe('evidence metrics (HTTP, MariaDB, S3)', () => {
  let s3: TestS3;
  let sut: ServiceUnderTest;
  let caseRow: CaseEntity;
  const http = () => request(sut.app.getHttpServer() as App);

  async function scrape(): Promise<string> {
    return (await http().get('/metrics').expect(200)).text;
  }

  function sample(text: string, prefix: string): number {
    const line = text.split('\n').find((candidate) => candidate.startsWith(prefix));
    return line === undefined ? Number.NaN : Number(line.split(' ').pop());
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
    await seedCertificates(sut.app, [{ officerId: officer.userId, agencyId: AGENCY }]);
    caseRow = await seedCase(sut.app, { agencyId: AGENCY, regionCode: '310101', handlingOfficerIds: [officer.userId] });
  });

  afterAll(async () => {
    await sut?.close();
    await s3?.release();
  });

  it('raises the evidence bytes by each stored part, not by a refused one, and times the part route by its pattern', async () => {
    const token = await sut.tokenFor(officer);
    const data = randomBytes(1500);
    const created = await http()
      .post(`/cases/${caseRow.id}/evidence/uploads`)
      .set('authorization', `Bearer ${token}`)
      .send({ mediaType: 'video/mp4', sizeBytes: data.length, deviceId: 'BWC-M-1', ...window });
    expect(created.status).toBe(201);
    const uploadId = created.body.uploadId as string;
    const partUrl = `/cases/${caseRow.id}/evidence/uploads/${uploadId}/parts/1`;
    const before = await scrape();
    expect(sample(before, 'evidence_uploaded_bytes_total{')).toBe(0);

    // Too short for its declared size: refused, nothing stored, nothing counted.
    const refused = await http()
      .put(partUrl)
      .set('authorization', `Bearer ${token}`)
      .set('content-type', 'application/octet-stream')
      .send(data.subarray(0, 1000));
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(sample(await scrape(), 'evidence_uploaded_bytes_total{')).toBe(0);

    await http()
      .put(partUrl)
      .set('authorization', `Bearer ${token}`)
      .set('content-type', 'application/octet-stream')
      .send(data)
      .expect(200);
    const after = await scrape();
    expect(sample(after, 'evidence_uploaded_bytes_total{')).toBe(1500);
    const partCounts = after
      .split('\n')
      .filter((line) => line.startsWith('http_request_duration_seconds_count{') && line.includes('method="PUT"'))
      .map((line) => line.replace(/^[^{]*\{/, '{'));
    expect(partCounts).toEqual([
      expect.stringMatching(/route="\/cases\/:caseId\/evidence\/uploads\/:uploadId\/parts\/:partNumber",status="400"\} 1$/),
      expect.stringMatching(/route="\/cases\/:caseId\/evidence\/uploads\/:uploadId\/parts\/:partNumber",status="200"\} 1$/),
    ]);
    expect(after).not.toContain(uploadId);
  });
});
