import type { AuthenticatedUser } from '@enforcement/auth';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types';
import { seedCertificates } from '../evidence/test-support/evidence-fixtures';
import { recordingService } from '../service';

const AGENCY = '3f1e0c1a-0000-4000-8000-0000000000a1';
const officer = (): AuthenticatedUser => ({ userId: randomUUID(), agencyId: AGENCY, roles: ['officer'] });
const [a, b, colleague] = [officer(), officer(), officer()];
const admin: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY, roles: ['agency-admin'] };
/** A supervisor whose token names the case's own agency: the claim must not open the party's data. */
const supervisor: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY, roles: ['supervisor'], supervisedRegionCode: '310100' };
const farSupervisor: AuthenticatedUser = {
  userId: randomUUID(),
  agencyId: '3f1e0c1a-0000-4000-8000-0000000000a9',
  roles: ['supervisor'],
  supervisedRegionCode: '440300',
};
const PARTY = {
  kind: 'natural-person',
  name: '张三',
  identifier: '11010519491231002X',
  contact: { phone: '13800138000', address: '上海市黄浦区某路1号' },
};

/** Issue #11: what a role sees of a party, and every read of its personal data logged; over HTTP on MariaDB. */
describe("a party's personal data (HTTP, MariaDB)", () => {
  let sut: ServiceUnderTest;
  let caseId: string;
  const http = () => request(sut.app.getHttpServer() as App);
  const auth = async (user: AuthenticatedUser) => `Bearer ${await sut.tokenFor(user)}`;
  const read = async (user: AuthenticatedUser) =>
    http()
      .get(`/cases/${caseId}`)
      .set('authorization', await auth(user));
  const reads = async (user: AuthenticatedUser, query = `caseId=${caseId}`) =>
    http()
      .get(`/supervision/party-data-reads?${query}`)
      .set('authorization', await auth(user));

  beforeAll(async () => {
    sut = await startServiceForTest(recordingService);
    await seedCertificates(
      sut.app,
      [a.userId, b.userId].map((officerId) => ({ officerId, agencyId: AGENCY })),
    );
    const opened = await http()
      .post('/cases')
      .set('authorization', await auth(a))
      .set(await sut.coOfficerProofs(b))
      .send({
        domain: 'market-regulation',
        regionCode: '310101',
        procedure: 'general',
        party: PARTY,
        allegedViolation: '销售超过保质期的食品',
        legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
        coOfficerIds: [b.userId],
        place: '上海市黄浦区南京东路1号',
      });
    expect(opened.status).toBe(201);
    caseId = opened.body.id as string;
  });

  afterAll(() => sut?.close());

  it('shows the ID number and contacts to the officers handling the case only, and logs each such read', async () => {
    for (const handler of [a, b]) {
      const seen = await read(handler);
      expect(seen.body.party).toEqual({
        kind: 'natural-person',
        name: '张三',
        isMinor: false,
        identifier: PARTY.identifier,
        contact: PARTY.contact,
      });
    }
    for (const other of [colleague, admin, supervisor]) {
      const seen = await read(other);
      expect([seen.status, seen.body.party]).toEqual([200, { kind: 'natural-person', name: '张三', isMinor: false }]);
      expect(JSON.stringify(seen.body)).not.toContain(PARTY.identifier);
      expect(JSON.stringify(seen.body)).not.toContain(PARTY.contact.phone);
    }

    const logged = await reads(supervisor);
    expect(logged.status).toBe(200);
    expect(logged.body.items.map((row: { userId: string }) => row.userId)).toEqual([b.userId, a.userId]);
    expect(logged.body.items[0]).toMatchObject({ caseId, agencyId: AGENCY, regionCode: '310101', readAt: expect.any(String) });
  });

  it("keeps the log to supervisors of the case's division and system administrators", async () => {
    expect((await reads(farSupervisor)).body.items).toEqual([]);
    const byOfficer = await reads(a);
    expect([byOfficer.status, byOfficer.body.code]).toEqual([403, 'ROLE_REQUIRED']);
    const malformed = await reads(supervisor, 'caseId=not-a-case');
    expect([malformed.status, malformed.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });
});
