import type { AuthenticatedUser } from '@enforcement/auth';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { seedCertificates } from '../evidence/test-support/evidence-fixtures';
import { recordingService } from '../service';
import { generalCaseBody, writeDecision } from './test-support/case-fixtures';

const AGENCY = randomUUID();
const OTHER_AGENCY = randomUUID();
const officer = (): AuthenticatedUser => ({ userId: randomUUID(), agencyId: AGENCY, roles: ['officer'] });
const [a, b] = [officer(), officer()];
const head: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY, roles: ['agency-admin'] };
const otherHead: AuthenticatedUser = { userId: randomUUID(), agencyId: OTHER_AGENCY, roles: ['agency-admin'] };
/** A supervisor of the case's region: may approve an audio/video gap, not the extension Art. 60 leaves to the head. */
const supervisor: AuthenticatedUser = {
  userId: randomUUID(),
  agencyId: randomUUID(),
  roles: ['supervisor'],
  supervisedRegionCode: '310100',
};
/** An officer who is also the agency's administrator: may request, never approve their own request. */
const officerHead: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY, roles: ['officer', 'agency-admin'] };
const EXTENSION_DAYS = 45;
const DAY = 24 * 3600_000;
const REQUEST = { stepType: 'decision-period-extension', fields: { reason: '案情复杂，需等待检验机构出具检验报告' } };

/** Art. 60: the decision period extended only by the agency head's own approval; each way around it, over HTTP on MariaDB. */
describe('decision period extension approved by the agency head (HTTP, MariaDB)', () => {
  let sut: ServiceUnderTest;
  const http = () => request(sut.app.getHttpServer() as App);
  const auth = async (user: AuthenticatedUser) => `Bearer ${await sut.tokenFor(user)}`;
  const step = async (caseId: string, body: Record<string, unknown>, by = a) =>
    http()
      .post(`/cases/${caseId}/steps`)
      .set('authorization', await auth(by))
      .set(await sut.coOfficerProofs(b))
      .send({ place: '上海市黄浦区南京东路1号', coOfficerIds: [b.userId], occurredAt: new Date().toISOString(), ...body });
  const approve = async (user: AuthenticatedUser, caseId: string) =>
    http()
      .post(`/cases/${caseId}/decision-period-extension/approval`)
      .set('authorization', await auth(user))
      .send({ comment: '案情复杂，检验报告尚未出具，同意延长办案期限' });
  const status = async (caseId: string) =>
    (
      await http()
        .get(`/cases/${caseId}/decision-period-extension`)
        .set('authorization', await auth(a))
    ).body as { pending: { recordId: string; officerIds: string[] } | null; extended: boolean };
  const decisionPeriod = async (caseId: string) => {
    const deadlines = await http()
      .get(`/cases/${caseId}/deadlines`)
      .set('authorization', await auth(a));
    return (deadlines.body as Array<{ kind: string; dueAt: string; extensionDays: number }>).find((row) => row.kind === 'decision-90d');
  };
  const recordCount = async (caseId: string) =>
    (
      await http()
        .get(`/cases/${caseId}/records`)
        .set('authorization', await auth(a))
    ).body.length as number;
  const openCase = async () => {
    const opened = await http()
      .post('/cases')
      .set('authorization', await auth(a))
      .set(await sut.coOfficerProofs(b))
      .send(generalCaseBody(b.userId));
    expect(opened.status).toBe(201);
    return opened.body.id as string;
  };
  const decide = (caseId: string) =>
    writeDecision(
      sut.app,
      caseId,
      { recordedBy: a.userId, actingOfficerIds: [a.userId, b.userId] },
      {
        penalties: [{ kind: 'warning' }],
        partyPresent: true,
      },
    );

  beforeAll(async () => {
    sut = await startServiceForTest(recordingService, { LOG_LEVEL: 'silent' });
    await seedCertificates(
      sut.app,
      [a, b, officerHead].map((user) => ({ officerId: user.userId, agencyId: AGENCY })),
    );
    const settings = await http()
      .put(`/agencies/${AGENCY}/deadline-settings`)
      .set('authorization', await auth(head))
      .send({ decisionExtensionDays: EXTENSION_DAYS });
    expect(settings.status).toBe(200);
  }, 120_000);

  afterAll(() => sut?.close());

  it('extends by the agency’s length only once the head approves, with the approval in the chain', async () => {
    const caseId = await openCase();
    const before = await decisionPeriod(caseId);
    expect(await status(caseId)).toEqual({ pending: null, extended: false });

    const requested = await step(caseId, REQUEST);
    expect(requested.status).toBe(201);
    // The officers' request moves nothing.
    expect(await decisionPeriod(caseId)).toEqual(before);
    expect(await status(caseId)).toEqual({ pending: { recordId: requested.body.id, officerIds: [a.userId, b.userId] }, extended: false });

    const approved = await approve(head, caseId);
    expect(approved.status).toBe(201);
    expect(approved.body).toMatchObject({
      stepType: 'decision-extension-approval',
      recordedBy: head.userId,
      fields: { extensionRecordId: requested.body.id, approverRole: 'agency-head' },
      text: '案情复杂，检验报告尚未出具，同意延长办案期限',
    });
    const after = await decisionPeriod(caseId);
    expect(after?.extensionDays).toBe(EXTENSION_DAYS);
    // 45 days more, less the day the unextended end was moved off a rest day, if it was (民法典 Art. 203).
    expect(new Date(String(after?.dueAt)).getTime()).toBeGreaterThanOrEqual(
      new Date(String(before?.dueAt)).getTime() + (EXTENSION_DAYS - 1) * DAY,
    );
    expect(await status(caseId)).toEqual({ pending: null, extended: true });

    const records = await http()
      .get(`/cases/${caseId}/records`)
      .set('authorization', await auth(a));
    expect((records.body as Array<{ id: string }>).at(-1)?.id).toBe(approved.body.id);
    const verification = await http()
      .get(`/cases/${caseId}/verification`)
      .set('authorization', await auth(a));
    expect(verification.body.intact).toBe(true);

    const again = await step(caseId, REQUEST);
    expect([again.status, again.body.code]).toEqual([409, 'DECISION_PERIOD_ALREADY_EXTENDED']);
  });

  it('refuses an approver typed into the request rather than extending on it', async () => {
    const caseId = await openCase();
    const before = await decisionPeriod(caseId);
    const named = await step(caseId, { ...REQUEST, fields: { ...REQUEST.fields, approvedBy: '局长 王某' } });
    expect([named.status, named.body.code]).toEqual([400, 'EXTENSION_APPROVER_NOT_A_FIELD']);
    expect(named.body.message).toMatch(/机关负责人/);
    const reasonless = await step(caseId, { stepType: 'decision-period-extension', fields: {} });
    expect([reasonless.status, reasonless.body.code]).toEqual([400, 'EXTENSION_REASON_REQUIRED']);
    expect(await decisionPeriod(caseId)).toEqual(before);
    expect(await status(caseId)).toEqual({ pending: null, extended: false });
  });

  it('lets only the head of the case’s own agency approve, never an officer who requested it', async () => {
    const caseId = await openCase();
    const before = await decisionPeriod(caseId);
    const requested = await step(caseId, REQUEST, officerHead);
    expect(requested.status).toBe(201);

    const byOfficer = await approve(a, caseId);
    expect([byOfficer.status, byOfficer.body.code]).toEqual([403, 'ROLE_REQUIRED']);
    const bySupervisor = await approve(supervisor, caseId);
    expect([bySupervisor.status, bySupervisor.body.code]).toEqual([403, 'ROLE_REQUIRED']);
    const byOtherHead = await approve(otherHead, caseId);
    expect([byOtherHead.status, byOtherHead.body.code]).toEqual([403, 'CASE_SCOPE']);
    const bySelf = await approve(officerHead, caseId);
    expect([bySelf.status, bySelf.body.code]).toEqual([403, 'EXTENSION_SELF_APPROVAL']);
    expect(bySelf.body.details).toMatchObject({ article: '《行政处罚法》第六十条' });
    expect(await decisionPeriod(caseId)).toEqual(before);
    expect((await status(caseId)).pending?.recordId).toBe(requested.body.id);

    // The approval is no officer's step either.
    const forged = await step(caseId, { stepType: 'decision-extension-approval', fields: { extensionRecordId: requested.body.id } });
    expect([forged.status, forged.body.code]).toEqual([400, 'STEP_NOT_ALLOWED']);
    expect(await decisionPeriod(caseId)).toEqual(before);
  });

  it('refuses a second request while one waits, an approval of none, twice, or after the decision', async () => {
    const caseId = await openCase();
    const none = await approve(head, caseId);
    expect([none.status, none.body.code]).toEqual([409, 'EXTENSION_NOT_PENDING']);
    expect((await step(caseId, REQUEST)).status).toBe(201);
    const second = await step(caseId, REQUEST);
    expect([second.status, second.body.code]).toEqual([409, 'EXTENSION_ALREADY_PENDING']);
    expect((await approve(head, caseId)).status).toBe(201);
    const twice = await approve(head, caseId);
    expect([twice.status, twice.body.code]).toEqual([409, 'EXTENSION_NOT_PENDING']);
    expect((await decisionPeriod(caseId))?.extensionDays).toBe(EXTENSION_DAYS);

    // The 90 days ran out before the head approved: no extension after the fact, the record and the period unchanged.
    const lapsedCase = await openCase();
    expect((await step(lapsedCase, REQUEST)).status).toBe(201);
    await sut.app
      .get(DataSource)
      .query("UPDATE case_deadlines SET due_at = ? WHERE case_id = ? AND kind = 'decision-90d'", [new Date(Date.now() - DAY), lapsedCase]);
    const recordsBefore = await recordCount(lapsedCase);
    const expired = await approve(head, lapsedCase);
    expect([expired.status, expired.body.code]).toEqual([422, 'DECISION_PERIOD_EXPIRED']);
    expect(await recordCount(lapsedCase)).toBe(recordsBefore);
    expect((await decisionPeriod(lapsedCase))?.extensionDays).toBe(0);
    expect((await status(lapsedCase)).pending).not.toBeNull();

    const decidedCase = await openCase();
    expect((await step(decidedCase, REQUEST)).status).toBe(201);
    await decide(decidedCase);
    const late = await approve(head, decidedCase);
    expect([late.status, late.body.code]).toEqual([409, 'DECISION_EXISTS']);
    expect((await decisionPeriod(decidedCase))?.extensionDays).toBe(0);
  });
});
