import type { INestApplication } from '@nestjs/common';
import type { LocalIssuer } from '@enforcement/auth';
import { Events } from '@enforcement/contracts';
import type { InProcessBroker } from '@enforcement/events';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { asUser, certificateFacts, NOW, seedCertificates, startCertificateCheckApp } from '../../test-support/certificate-check-app';
import { issued, wire } from '../../test-support/certificate-events';
import { PENALTY_LAW_ART_42 } from '../check/certificate-refusal-code';
import { CertificateRefusalLogService } from '../refusals/certificate-refusal-log.service';
import { CertificateRefusalEntity } from '../refusals/certificate-refusal.entity';
import { CertificateGuard } from './certificate.guard';

describe(CertificateGuard.name, () => {
  let app: INestApplication<App>;
  let broker: InProcessBroker;
  let issuer: LocalIssuer;

  beforeAll(async () => {
    ({ app, broker, issuer } = await startCertificateCheckApp());
    await seedCertificates(app, [
      certificateFacts({ id: 'c-zhang', officerId: 'zhang', number: '31000020250001' }),
      certificateFacts({ id: 'c-li', officerId: 'li', number: '31000020250002' }),
      certificateFacts({ id: 'c-wang', officerId: 'wang', status: 'suspended' }),
      certificateFacts({ id: 'c-zhao', officerId: 'zhao', status: 'revoked' }),
      certificateFacts({ id: 'c-qian', officerId: 'qian', validUntil: new Date('2026-05-31T16:00:00Z') }),
      certificateFacts({ id: 'c-feng', officerId: 'feng', agencyId: 'agency-pudong' }),
    ]);
  });

  afterAll(async () => {
    await app?.close();
  });

  const refusals = () => app.get(DataSource).getRepository(CertificateRefusalEntity);

  beforeEach(() => refusals().clear());
  const inspect = (caseId: string, userId: string, coOfficerIds?: unknown) =>
    request(app.getHttpServer())
      .post(`/cases/${caseId}/inspections`)
      .set(asUser({ userId }))
      .send(coOfficerIds === undefined ? {} : { coOfficerIds });
  const note = (caseId: string, userId: string) => request(app.getHttpServer()).post(`/cases/${caseId}/notes`).set(asUser({ userId }));

  it('lets two certified officers inspect and hands the handler the certificates they showed', async () => {
    // Li proves presence with a token of their own (Art. 42; co-officer-proofs.spec.ts tries to get round it).
    const li = await issuer.sign({ userId: 'li', agencyId: 'agency-huangpu', roles: ['officer'] }, { ttlSeconds: 300 });
    const response = await inspect('case-huangpu', 'zhang', ['li']).set('x-co-officer-tokens', li).expect(201);

    expect(response.body).toEqual({
      caseId: 'case-huangpu',
      presented: [
        {
          officerId: 'zhang',
          certificateId: 'c-zhang',
          number: '31000020250001',
          agencyId: 'agency-huangpu',
          validUntil: '2026-12-31T16:00:00.000Z',
          lastValidDay: '2026-12-31',
        },
        expect.objectContaining({ officerId: 'li', certificateId: 'c-li' }),
      ],
    });
  });

  it('lets a certified officer take an office step alone, scope found through the module reference', async () => {
    const response = await note('case-huangpu', 'zhang').expect(201);

    expect(response.body.presented).toEqual([expect.objectContaining({ certificateId: 'c-zhang' })]);
  });

  it.each([
    ['TOO_FEW_OFFICERS', 'case-huangpu', 'zhang', undefined, undefined],
    ['TOO_FEW_OFFICERS', 'case-huangpu', 'zhang', ['zhang'], undefined],
    ['CERTIFICATE_MISSING', 'case-huangpu', 'stranger', ['li'], 'stranger'],
    ['CERTIFICATE_SUSPENDED', 'case-huangpu', 'zhang', ['wang'], 'wang'],
    ['CERTIFICATE_REVOKED', 'case-huangpu', 'zhao', ['zhang'], 'zhao'],
    ['CERTIFICATE_EXPIRED', 'case-huangpu', 'zhang', ['qian'], 'qian'],
    ['CERTIFICATE_OUT_OF_SCOPE', 'case-nanjing', 'zhang', ['li'], 'zhang'],
    ['CERTIFICATE_OUT_OF_SCOPE', 'case-transport', 'zhang', ['li'], 'zhang'],
  ])('refuses %s (%s, %s with %j) with 403 and logs it', async (code, caseId, userId, coOfficerIds, officerId) => {
    const response = await inspect(caseId, userId, coOfficerIds).expect(403);

    expect(response.body).toEqual({
      code,
      message: expect.any(String),
      details: expect.objectContaining({ article: PENALTY_LAW_ART_42, ...(officerId ? { officerId } : {}) }),
    });
    expect(response.body.message).toMatch(/[\u4e00-\u9fff]/);
    const logged = await refusals().find();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      occurredAt: NOW,
      userId,
      agencyId: 'agency-huangpu',
      officerId: officerId ?? null,
      code,
      route: 'POST /cases/:caseId/inspections',
      domain: caseId === 'case-transport' ? 'transport' : 'market-regulation',
      regionCode: caseId === 'case-nanjing' ? '320102' : '310101',
      onSite: true,
    });
  });

  it('follows certificate events delivered to the service, with no poll and no call to the certificates service', async () => {
    await broker.publish([issued('c-sun', 'sun', new Date('2026-01-05T01:00:00Z'), { regionCodes: ['310100'] })]);
    await note('case-huangpu', 'sun').expect(201);

    await broker.publish([
      wire(Events.CertificateSuspended, { certificateId: 'c-sun' }, { occurredAt: new Date('2026-05-01T00:00:00Z'), key: 'c-sun' }),
    ]);
    const response = await note('case-huangpu', 'sun').expect(403);

    expect(response.body).toMatchObject({ code: 'CERTIFICATE_SUSPENDED', details: { officerId: 'sun', certificateId: 'c-sun' } });
  });

  it('judges validity at the instant the scope names', async () => {
    const response = await note('case-last-year', 'zhang').expect(403);

    expect(response.body.code).toBe('CERTIFICATE_EXPIRED');
  });

  it('judges validity at the instant the scope names and now as well: a step logged after the fact by an officer no longer qualified', async () => {
    // Qian's certificate ran until 31 May: valid on 1 May, when the step happened, but not now (1 June).
    expect((await note('case-last-month', 'qian').expect(403)).body.code).toBe('CERTIFICATE_EXPIRED');
    expect((await note('case-last-month', 'zhang').expect(201)).body.presented).toEqual([
      expect.objectContaining({ certificateId: 'c-zhang' }),
    ]);
  });

  it('still refuses when the refusal cannot be logged', async () => {
    const log = app.get(CertificateRefusalLogService);
    const record = jest.spyOn(log, 'record').mockRejectedValueOnce(new Error('database gone'));

    const response = await inspect('case-huangpu', 'stranger', ['li']).expect(403);

    expect(response.body.code).toBe('CERTIFICATE_MISSING');
    expect(record).toHaveBeenCalled();
    record.mockRestore();
  });

  it('refuses certificates of another agency: an officer of Pudong with a token claiming Huangpu, and a co-officer from Pudong', async () => {
    const impostor = await inspect('case-huangpu', 'feng', ['zhang']).expect(403);
    const visitor = await inspect('case-huangpu', 'zhang', ['feng']).expect(403);

    expect([impostor.body.code, visitor.body.code]).toEqual(['CERTIFICATE_OTHER_AGENCY', 'CERTIFICATE_OTHER_AGENCY']);
    expect((await refusals().find()).map((row) => row.code)).toEqual(['CERTIFICATE_OTHER_AGENCY', 'CERTIFICATE_OTHER_AGENCY']);
  });

  it('answers 401 to a request without an authenticated user', async () => {
    const response = await request(app.getHttpServer()).post('/cases/case-huangpu/notes').expect(401);

    expect(response.body.code).toBe('UNAUTHENTICATED');
  });

  it.each([['li'], [[42]], [['']], [Array.from({ length: 21 }, (_, i) => `o${i}`)]])(
    'answers 400 to co-officers given as %j',
    async (coOfficerIds) => {
      const response = await inspect('case-huangpu', 'zhang', coOfficerIds).expect(400);

      expect(response.body.code).toBe('INVALID_CO_OFFICERS');
    },
  );

  it('lets the scope resolver answer for an unknown case', async () => {
    const response = await inspect('case-unknown', 'zhang', ['li']).expect(404);

    expect(response.body.code).toBe('CASE_NOT_FOUND');
  });
});
