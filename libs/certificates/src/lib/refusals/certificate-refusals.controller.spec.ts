import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types';
import { asUser, startCertificateCheckApp } from '../../test-support/certificate-check-app';
import type { CertificateRefusalCode } from '../check/certificate-refusal-code';
import { CertificateRefusalLogService } from './certificate-refusal-log.service';
import { CertificateRefusalsController, type CertificateRefusalView } from './certificate-refusals.controller';

const at = (minute: number) => new Date(Date.UTC(2026, 5, 1, 2, minute));

describe(CertificateRefusalsController.name, () => {
  let app: INestApplication<App>;

  beforeAll(async () => {
    ({ app } = await startCertificateCheckApp());
    const log = app.get(CertificateRefusalLogService);
    const refusal = (minute: number, regionCode: string, code: CertificateRefusalCode, agencyId: string) =>
      log.record({
        occurredAt: at(minute),
        userId: `user-${minute}`,
        agencyId,
        officerId: `user-${minute}`,
        officerIds: [`user-${minute}`],
        code,
        route: 'POST /cases/:caseId/inspections',
        domain: 'market-regulation',
        regionCode,
        onSite: true,
      });
    await refusal(1, '310101', 'CERTIFICATE_MISSING', 'agency-huangpu');
    await refusal(2, '310115', 'CERTIFICATE_EXPIRED', 'agency-pudong');
    await refusal(3, '320102', 'CERTIFICATE_MISSING', 'agency-nanjing');
    await refusal(4, '310101', 'CERTIFICATE_REVOKED', 'agency-huangpu');
    await refusal(5, '320205', 'TOO_FEW_OFFICERS', 'agency-wuxi');
  });

  afterAll(async () => {
    await app?.close();
  });

  const list = (query: string, user?: Parameters<typeof asUser>[0]) =>
    request(app.getHttpServer())
      .get(`/supervision/certificate-refusals${query}`)
      .set(user ? asUser(user) : {});
  const minutes = (items: CertificateRefusalView[]) => items.map((item) => new Date(item.occurredAt).getUTCMinutes());
  const admin = { userId: 'root', agencyId: '', roles: ['system-admin' as const] };

  it('shows a system administrator every refusal, newest first', async () => {
    const response = await list('', admin).expect(200);

    expect(minutes(response.body.items)).toEqual([5, 4, 3, 2, 1]);
    expect(response.body.items[0]).toEqual({
      id: expect.any(String),
      occurredAt: '2026-06-01T02:05:00.000Z',
      userId: 'user-5',
      agencyId: 'agency-wuxi',
      officerId: 'user-5',
      officerIds: ['user-5'],
      code: 'TOO_FEW_OFFICERS',
      route: 'POST /cases/:caseId/inspections',
      domain: 'market-regulation',
      regionCode: '320205',
      onSite: true,
    });
    expect(response.body.nextCursor).toBeNull();
  });

  it.each([
    ['310000', [4, 2, 1]],
    ['310100', [4, 2, 1]],
    ['310101', [4, 1]],
    ['320100', [3]],
    ['320000', [5, 3]],
    ['440000', []],
  ])('shows a supervisor of %s only the refusals in that division and below', async (supervisedRegionCode, expected) => {
    const response = await list('', { userId: 'sup', roles: ['officer', 'supervisor'], supervisedRegionCode }).expect(200);

    expect(minutes(response.body.items)).toEqual(expected);
  });

  it('filters by time, agency and code', async () => {
    const from = encodeURIComponent(at(2).toISOString());
    const to = encodeURIComponent(at(5).toISOString());

    expect(minutes((await list(`?from=${from}&to=${to}`, admin).expect(200)).body.items)).toEqual([4, 3, 2]);
    expect(minutes((await list('?agencyId=agency-huangpu', admin).expect(200)).body.items)).toEqual([4, 1]);
    expect(minutes((await list('?code=CERTIFICATE_MISSING', admin).expect(200)).body.items)).toEqual([3, 1]);
  });

  it('pages with the cursor it returns', async () => {
    const first = await list('?limit=2', admin).expect(200);
    const second = await list(`?limit=2&cursor=${first.body.nextCursor}`, admin).expect(200);
    const third = await list(`?limit=2&cursor=${second.body.nextCursor}`, admin).expect(200);

    expect([first, second, third].map((page) => minutes(page.body.items))).toEqual([[5, 4], [3, 2], [1]]);
    expect(third.body.nextCursor).toBeNull();
  });

  it('answers 401 without an authenticated user', async () => {
    expect((await list('').expect(401)).body.code).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['an officer', { userId: 'zhang', roles: ['officer' as const] }],
    ['an agency administrator', { userId: 'adm', roles: ['agency-admin' as const] }],
    ['a supervisor without a region', { userId: 'sup', roles: ['supervisor' as const] }],
  ])('answers 403 to %s', async (_who, user) => {
    expect((await list('', user).expect(403)).body.code).toBe('FORBIDDEN');
  });

  it.each(['?limit=0', '?limit=201', '?limit=abc', '?from=yesterday', '?code=NOPE', '?cursor=garbage', '?page=2', '?code=A&code=B'])(
    'answers 400 to %s',
    async (query) => {
      const response = await list(query, admin).expect(400);

      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: expect.any(String) })] });
    },
  );
});
