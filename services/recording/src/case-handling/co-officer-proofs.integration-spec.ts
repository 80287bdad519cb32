import type { AuthenticatedUser } from '@enforcement/auth';
import { CO_OFFICER_TOKENS_HEADER } from '@enforcement/certificates';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { seedCertificates } from '../evidence/test-support/evidence-fixtures';
import { recordingService } from '../service';
import { generalCaseBody } from './test-support/case-fixtures';

const AGENCY = '3f1e0c1a-0000-4000-8000-0000000000e1';
const OTHER_AGENCY = '3f1e0c1a-0000-4000-8000-0000000000e2';
const officer = (agencyId = AGENCY): AuthenticatedUser => ({ userId: randomUUID(), agencyId, roles: ['officer'] });
const [a, b, c] = [officer(), officer(), officer()];
const supervisor: AuthenticatedUser = {
  userId: randomUUID(),
  agencyId: OTHER_AGENCY,
  roles: ['supervisor'],
  supervisedRegionCode: '310100',
};
const ART_42 = '《中华人民共和国行政处罚法》第四十二条';

/**
 * Issue #11, Art. 42 over HTTP on MariaDB: the second officer is named by the first and must confirm with their own
 * token; without it, or with a token that is not theirs, not fresh or already spent, nothing is written and the
 * refusal is kept for supervisors. (co-officer-proofs.spec.ts in libs/certificates tries the forged, foreign-key,
 * expired and stale tokens.)
 */
describe('co-officers confirm with their own token (HTTP, MariaDB)', () => {
  let sut: ServiceUnderTest;
  let caseId: string;
  const http = () => request(sut.app.getHttpServer() as App);
  const auth = async (user: AuthenticatedUser) => `Bearer ${await sut.tokenFor(user)}`;
  const opening = generalCaseBody(b.userId);
  const inspection = (coOfficerIds = [b.userId]) => ({
    stepType: 'inspection',
    occurredAt: new Date().toISOString(),
    place: '上海市黄浦区南京东路1号',
    coOfficerIds,
  });
  const step = async (proofs: Record<string, string>, body = inspection()) =>
    http()
      .post(`/cases/${caseId}/steps`)
      .set('authorization', await auth(a))
      .set(proofs)
      .send(body);
  const recordCount = async () =>
    Number(
      (
        (await sut.app.get(DataSource).query('SELECT COUNT(*) AS n FROM case_records WHERE case_id = ?', [caseId])) as Array<{ n: number }>
      )[0].n,
    );
  const expectRefused = (response: request.Response, code: string, officerId: string) => {
    expect([response.status, response.body.code]).toEqual([403, code]);
    expect(response.body.details).toMatchObject({ article: ART_42, officerId });
  };

  beforeAll(async () => {
    sut = await startServiceForTest(recordingService);
    await seedCertificates(sut.app, [
      { officerId: a.userId, agencyId: AGENCY },
      { officerId: b.userId, agencyId: AGENCY },
      { officerId: c.userId, agencyId: AGENCY },
    ]);
    const opened = await http()
      .post('/cases')
      .set('authorization', await auth(a))
      .set(await sut.coOfficerProofs(b))
      .send(opening);
    expect(opened.status).toBe(201);
    caseId = opened.body.id as string;
  });

  afterAll(() => sut?.close());

  it('opens no case when the named co-officer never confirmed, and keeps the refusal for supervisors', async () => {
    const before = await http()
      .get('/cases')
      .set('authorization', await auth(a));
    const refused = await http()
      .post('/cases')
      .set('authorization', await auth(a))
      .send({ ...opening, allegedViolation: '无人确认的立案' });

    expectRefused(refused, 'CO_OFFICER_UNCONFIRMED', b.userId);
    expect(
      (
        await http()
          .get('/cases')
          .set('authorization', await auth(a))
      ).body.items,
    ).toHaveLength(before.body.items.length);
    const logged = await http()
      .get('/supervision/certificate-refusals')
      .query({ code: 'CO_OFFICER_UNCONFIRMED' })
      .set('authorization', await auth(supervisor))
      .expect(200);
    expect(logged.body.items).toEqual([
      expect.objectContaining({ code: 'CO_OFFICER_UNCONFIRMED', userId: a.userId, officerId: b.userId, route: 'POST /cases' }),
    ]);
  });

  it('records a step confirmed by the co-officer, and refuses the same proof on the next step (replay) writing nothing', async () => {
    const proof = await sut.coOfficerProofs(b);
    const first = await step(proof);
    expect(first.status).toBe(201);
    const records = await recordCount();

    expectRefused(await step(proof), 'CO_OFFICER_PROOF_REUSED', b.userId);
    expect(await recordCount()).toBe(records);
  });

  it('refuses a replayed proof as the replay on a step its rules refuse as well, and keeps it for supervisors', async () => {
    const proof = await sut.coOfficerProofs(b);
    expect((await step(proof)).status).toBe(201);
    const records = await recordCount();
    const replaysLogged = async () =>
      (
        await http()
          .get('/supervision/certificate-refusals')
          .query({ code: 'CO_OFFICER_PROOF_REUSED' })
          .set('authorization', await auth(supervisor))
          .expect(200)
      ).body.items.length as number;
    const before = await replaysLogged();

    // The step would be refused for its time too; the proof's insert waits for the step's statements, yet goes first.
    const future = new Date(Date.now() + 24 * 3600_000).toISOString();
    expectRefused(await step(proof, { ...inspection(), occurredAt: future }), 'CO_OFFICER_PROOF_REUSED', b.userId);
    expect(await recordCount()).toBe(records);
    expect(await replaysLogged()).toBe(before + 1);
  });

  it('spends no proof on a step the rules refuse after the check: the same proof records the next step', async () => {
    const proof = await sut.coOfficerProofs(b);
    const records = await recordCount();
    const future = new Date(Date.now() + 24 * 3600_000).toISOString();

    const refused = await step(proof, { ...inspection(), occurredAt: future });
    expect([refused.status, refused.body.code]).toEqual([400, 'STEP_IN_FUTURE']);
    expect(await recordCount()).toBe(records);
    expect((await step(proof)).status).toBe(201);
  });

  it('spends no proof on a case refused after the check: the same proof opens the case', async () => {
    const proof = await sut.coOfficerProofs(b);
    const opening2 = { ...opening, allegedViolation: '事后补录的立案' };
    const refused = await http()
      .post('/cases')
      .set('authorization', await auth(a))
      .set(proof)
      .send({ ...opening2, occurredAt: new Date(Date.now() + 24 * 3600_000).toISOString() });
    expect([refused.status, refused.body.code]).toEqual([400, 'STEP_IN_FUTURE']);

    const opened = await http()
      .post('/cases')
      .set('authorization', await auth(a))
      .set(proof)
      .send(opening2);
    expect(opened.status).toBe(201);
  });

  it('records one of two concurrent steps (on two cases) confirmed by the same proof, and refuses the other writing nothing', async () => {
    const other = await http()
      .post('/cases')
      .set('authorization', await auth(a))
      .set(await sut.coOfficerProofs(b))
      .send({ ...opening, allegedViolation: '并发确认的另一案件' });
    expect(other.status).toBe(201);
    const otherId = other.body.id as string;
    const countOf = async (id: string) =>
      Number(
        ((await sut.app.get(DataSource).query('SELECT COUNT(*) AS n FROM case_records WHERE case_id = ?', [id])) as Array<{ n: number }>)[0]
          .n,
      );
    const before = (await countOf(caseId)) + (await countOf(otherId));
    const proof = await sut.coOfficerProofs(b);

    const answers = await Promise.all(
      [caseId, otherId].map(async (id) =>
        http()
          .post(`/cases/${id}/steps`)
          .set('authorization', await auth(a))
          .set(proof)
          .send(inspection()),
      ),
    );

    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 403]);
    expectRefused(answers.find((answer) => answer.status === 403) as request.Response, 'CO_OFFICER_PROOF_REUSED', b.userId);
    expect((await countOf(caseId)) + (await countOf(otherId))).toBe(before + 1);
    const logged = await http()
      .get('/supervision/certificate-refusals')
      .query({ code: 'CO_OFFICER_PROOF_REUSED' })
      .set('authorization', await auth(supervisor))
      .expect(200);
    expect(logged.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ userId: a.userId, officerId: b.userId, route: 'POST /cases/:caseId/steps' })]),
    );
  });

  it("refuses the caller's own token as the co-officer's, and the proof of an officer not named", async () => {
    const records = await recordCount();
    const own = (await auth(a)).slice('Bearer '.length);

    expectRefused(await step({ [CO_OFFICER_TOKENS_HEADER]: own }), 'CO_OFFICER_PROOF_INVALID', a.userId);
    expectRefused(await step(await sut.coOfficerProofs(c)), 'CO_OFFICER_PROOF_INVALID', c.userId);
    expectRefused(await step(await sut.coOfficerProofs(c), inspection([b.userId, c.userId])), 'CO_OFFICER_UNCONFIRMED', b.userId);
    expect(await recordCount()).toBe(records);
  });

  it("refuses a proof whose token claims another agency than the case's", async () => {
    const records = await recordCount();

    const response = await step(await sut.coOfficerProofs({ ...b, agencyId: OTHER_AGENCY }));
    expectRefused(response, 'CO_OFFICER_PROOF_INVALID', b.userId);
    expect(response.body.details.reason).toMatch(/agency/);
    expect(await recordCount()).toBe(records);
  });

  it('records the step with both co-officers when each confirmed', async () => {
    const response = await step(await sut.coOfficerProofs(b, c), inspection([b.userId, c.userId]));

    expect(response.status).toBe(201);
    const [row] = (await sut.app
      .get(DataSource)
      .query('SELECT acting_officer_ids AS ids FROM case_records WHERE case_id = ? ORDER BY sequence DESC LIMIT 1', [caseId])) as Array<{
      ids: string;
    }>;
    expect(JSON.parse(row.ids)).toEqual([a.userId, b.userId, c.userId]);
  });
});
