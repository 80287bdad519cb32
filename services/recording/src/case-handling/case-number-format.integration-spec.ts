import type { AuthenticatedUser } from '@enforcement/auth';
import { chinaDayOf, yearOf } from '@enforcement/calendar';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types';
import { seedCertificates } from '../evidence/test-support/evidence-fixtures';
import { recordingService } from '../service';
import { generalCaseBody } from './test-support/case-fixtures';

const AGENCY = '3f1e0c1a-0000-4000-8000-0000000000d1';
const OTHER_AGENCY = '3f1e0c1a-0000-4000-8000-0000000000d2';
const officer = (agencyId = AGENCY): AuthenticatedUser => ({ userId: randomUUID(), agencyId, roles: ['officer'] });
const [a, b] = [officer(), officer()];
const admin: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY, roles: ['agency-admin'] };
const otherAdmin: AuthenticatedUser = { userId: randomUUID(), agencyId: OTHER_AGENCY, roles: ['agency-admin'] };
const TEMPLATE = '沪黄市监处罚〔{year}〕{seq}号';

/** Case numbers in the agency's pattern, restarting each year (issue #10), over HTTP on MariaDB. */
describe('case number format (HTTP, MariaDB)', () => {
  let sut: ServiceUnderTest;
  const http = () => request(sut.app.getHttpServer() as App);
  const auth = async (user: AuthenticatedUser) => `Bearer ${await sut.tokenFor(user)}`;
  const format = async (user: AuthenticatedUser, body: unknown, agencyId = AGENCY) =>
    http()
      .put(`/agencies/${agencyId}/case-number-format`)
      .set('authorization', await auth(user))
      .send(body as object);
  const open = async (body: Record<string, unknown> = {}) =>
    http()
      .post('/cases')
      .set('authorization', await auth(a))
      .set(await sut.coOfficerProofs(b))
      .send(generalCaseBody(b.userId, body));

  beforeAll(async () => {
    sut = await startServiceForTest(recordingService);
    await seedCertificates(
      sut.app,
      [a.userId, b.userId].map((officerId) => ({ officerId, agencyId: AGENCY })),
    );
  });

  afterAll(() => sut?.close());

  it("numbers an agency's cases in the default form until its administrator sets a pattern", async () => {
    const current = await http()
      .get(`/agencies/${AGENCY}/case-number-format`)
      .set('authorization', await auth(a))
      .expect(200);
    expect(current.body).toMatchObject({ template: '{region}-{year}-{agency}{seq:5}', isDefault: true });

    const opened = await open();
    expect(opened.status).toBe(201);
    expect(opened.body.caseNumber).toMatch(/^310101-\d{4}-3F1E0C1A\d{5}$/);
  });

  it("numbers in the agency's pattern, in the year each case was opened (after the fact: the year before)", async () => {
    const year = yearOf(chinaDayOf(new Date()));
    const set = await format(admin, { template: TEMPLATE });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ template: TEMPLATE, isDefault: false, example: `沪黄市监处罚〔${year}〕1号` });

    const numbers: string[] = [];
    for (let i = 0; i < 2; i++) numbers.push((await open()).body.caseNumber as string);
    // The default-form case above took this year's first number; the pattern goes on from the year's count.
    expect(numbers).toEqual([`沪黄市监处罚〔${year}〕2号`, `沪黄市监处罚〔${year}〕3号`]);

    const lastYear = await open({
      occurredAt: `${year - 1}-12-31T15:00:00.000Z`,
      lateEntryReason: '年底现场立案，系统维护期间未能及时录入',
    });
    expect([lastYear.status, lastYear.body.caseNumber]).toEqual([201, `沪黄市监处罚〔${year - 1}〕1号`]);
  });

  it.each([
    ['without the year', '沪黄市监处罚第{seq}号', '{year} exactly once'],
    ['without the sequence', '沪黄市监处罚〔{year}〕号', '{seq} (or {seq:N}) exactly once'],
    ['with an unknown placeholder', '〔{year}〕{seq}号{officer}', 'unknown placeholder {officer}'],
  ])('refuses a pattern %s with 400 CASE_NUMBER_TEMPLATE_INVALID and keeps the old one', async (_case, template, problem) => {
    const refused = await format(admin, { template });

    expect([refused.status, refused.body.code]).toEqual([400, 'CASE_NUMBER_TEMPLATE_INVALID']);
    expect(refused.body.details).toEqual([{ field: 'template', problems: expect.arrayContaining([problem]) }]);
    const kept = await http()
      .get(`/agencies/${AGENCY}/case-number-format`)
      .set('authorization', await auth(a));
    expect(kept.body.template).toBe(TEMPLATE);
  });

  it('lets only the agency’s own administrators set it', async () => {
    const byOfficer = await format(a, { template: '〔{year}〕{seq}号' });
    expect([byOfficer.status, byOfficer.body.code]).toEqual([403, 'ROLE_REQUIRED']);
    const byOtherAgency = await format(otherAdmin, { template: '〔{year}〕{seq}号' });
    expect([byOtherAgency.status, byOtherAgency.body.code]).toEqual([403, 'AGENCY_SCOPE']);
    const readByOtherAgency = await http()
      .get(`/agencies/${AGENCY}/case-number-format`)
      .set('authorization', await auth(otherAdmin));
    expect(readByOtherAgency.status).toBe(403);
    const unknownField = await format(admin, { template: TEMPLATE, prefix: '沪' });
    expect([unknownField.status, unknownField.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });
});
