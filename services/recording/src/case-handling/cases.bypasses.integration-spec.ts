import type { AuthenticatedUser } from '@enforcement/auth';
import { CertificateDirectoryService, KnownCertificateEntity } from '@enforcement/certificates';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { recordingService } from '../service';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const AGENCY = '3f1e0c1a-0000-4000-8000-0000000000c1';
const NEIGHBOUR = '3f1e0c1a-0000-4000-8000-0000000000c2';
const officer = (): AuthenticatedUser => ({ userId: randomUUID(), agencyId: AGENCY, roles: ['officer'] });
const [a, b, chair, newcomer] = [officer(), officer(), officer(), officer()];
/** An officer of a neighbouring agency, certified by it. */
const neighbour: AuthenticatedUser = { userId: randomUUID(), agencyId: NEIGHBOUR, roles: ['officer'] };
const admin: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY, roles: ['agency-admin'] };
const supervisor: AuthenticatedUser = {
  userId: randomUUID(),
  agencyId: '3f1e0c1a-0000-4000-8000-00000000005e',
  roles: ['supervisor'],
  supervisedRegionCode: '310100',
};
const iso = (ms: number) => new Date(ms).toISOString();
const REASON = '现场无网络，回局后补录';
const party = { kind: 'organisation', name: '上海某某食品有限公司', identifier: '91310101MA1FL1234C', contact: {} };
const fine = (fen: number) => ({ kind: 'fine', amountFen: fen });
const notified = { penalties: [fine(500_000)], facts: '销售过期食品', legalBasis: '《食品安全法》第一百二十四条' };

/**
 * Issue #10 over HTTP on MariaDB: each attempt to bend the record (decide before the party's period, decide more than
 * was notified, back-date a step, act alone, act on a certificate that was not valid then, enter late without saying
 * why) is refused with its code.
 */
describe('recording that cannot be bent (HTTP, MariaDB)', () => {
  let sut: ServiceUnderTest;
  const tokens = new Map<string, string>();
  const now = Date.now();
  const openedAt = now - 40 * DAY;

  const http = () => request(sut.app.getHttpServer() as App);
  const auth = async (user: AuthenticatedUser) => {
    let token = tokens.get(user.userId);
    if (token === undefined) {
      token = await sut.tokenFor(user);
      tokens.set(user.userId, token);
    }
    return `Bearer ${token}`;
  };
  /** The named co-officers' own proofs of presence (Art. 42), fresh for each request. */
  const proofs = (body: Record<string, unknown>, fallback: string[]) => {
    const named = (body['coOfficerIds'] as string[] | undefined) ?? fallback;
    return sut.coOfficerProofs(...[a, b, chair, newcomer, neighbour].filter((user) => named.includes(user.userId)));
  };
  const open = async (body: Record<string, unknown>) =>
    http()
      .post('/cases')
      .set('authorization', await auth(a))
      .set(await proofs(body, [b.userId]))
      .send({
        domain: 'market-regulation',
        regionCode: '310101',
        procedure: 'general',
        party,
        allegedViolation: '销售超过保质期的食品',
        legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
        coOfficerIds: [b.userId],
        ...body,
      });
  /** A step by `who` with `b` beside them (unless the body names other co-officers), late entries with their reason. */
  const step = async (caseId: string, body: Record<string, unknown>, who: AuthenticatedUser = a) =>
    http()
      .post(`/cases/${caseId}/steps`)
      .set('authorization', await auth(who))
      .set(await proofs(body, [b.userId]))
      .send({ place: '上海市黄浦区南京东路1号', coOfficerIds: [b.userId], lateEntryReason: REASON, ...body });

  async function seedCertificate(officerId: string, validFrom: Date, agencyId = AGENCY): Promise<void> {
    const at = new Date();
    await sut.app
      .get(DataSource)
      .getRepository(KnownCertificateEntity)
      .insert({
        id: randomUUID(),
        number: `SH-NB-${officerId.slice(0, 8)}`,
        officerId,
        agencyId,
        status: 'active',
        domains: ['market-regulation'],
        regionCodes: ['310000'],
        validFrom,
        validUntil: new Date('2099-01-01T00:00:00Z'),
        termsEventAt: at,
        statusEventAt: at,
        version: 1,
        updatedAt: at,
      });
  }

  beforeAll(async () => {
    sut = await startServiceForTest(recordingService);
    for (const holder of [a, b, chair]) await seedCertificate(holder.userId, new Date('2020-01-01T00:00:00Z'));
    // A newly certified officer: qualified since yesterday only.
    await seedCertificate(newcomer.userId, new Date(now - DAY));
    await seedCertificate(neighbour.userId, new Date('2020-01-01T00:00:00Z'), NEIGHBOUR);
    await sut.app.get(CertificateDirectoryService).pollNow();
  });

  afterAll(() => sut?.close());

  it('opens a case after the fact only with the reason for the late entry, and refuses steps before the opening', async () => {
    const unexplained = await open({ occurredAt: iso(openedAt) });
    expect([unexplained.status, unexplained.body.code]).toEqual([400, 'LATE_ENTRY_REASON_REQUIRED']);
    const opened = await open({ occurredAt: iso(openedAt), lateEntryReason: REASON });
    expect(opened.status).toBe(201);
    expect(new Date(opened.body.openedAt as string).getTime()).toBe(openedAt);
    const caseId = opened.body.id as string;

    const before = await step(caseId, { stepType: 'inspection', occurredAt: iso(openedAt - HOUR) });
    expect([before.status, before.body.code]).toEqual([422, 'STEP_BEFORE_OPENING']);
    expect(before.body.details).toMatchObject({ occurredAt: iso(openedAt - HOUR), openedAt: iso(openedAt) });

    const late = await step(caseId, { stepType: 'inspection', occurredAt: iso(openedAt + HOUR), lateEntryReason: undefined });
    expect([late.status, late.body.code]).toEqual([400, 'LATE_ENTRY_REASON_REQUIRED']);
    const explained = await step(caseId, { stepType: 'inspection', occurredAt: iso(openedAt + HOUR) });
    expect(explained.status).toBe(201);
    expect(explained.body.fields).toMatchObject({ lateEntryReason: REASON });
    // Entered in time, a step needs no reason and carries none.
    const timely = await step(caseId, { stepType: 'inquiry', occurredAt: iso(now - HOUR), lateEntryReason: undefined });
    expect(timely.status).toBe(201);
    expect(timely.body.fields).not.toHaveProperty('lateEntryReason');

    // Supervisors of the division see the late entries with their reasons.
    const listed = await http()
      .get('/supervision/late-entries')
      .set('authorization', await auth(supervisor));
    expect(listed.status).toBe(200);
    const mine = (listed.body.items as Array<{ caseId: string; stepType: string; reason: string }>).filter((row) => row.caseId === caseId);
    expect(mine.map((row) => [row.stepType, row.reason])).toEqual([
      ['inspection', REASON],
      ['opening', REASON],
    ]);
    const officerList = await http()
      .get('/supervision/late-entries')
      .set('authorization', await auth(a));
    expect(officerList.status).toBe(403);
  });

  it('refuses a case opened or a step dated in the future, beyond the clock drift allowed (STEP_IN_FUTURE)', async () => {
    const future = await open({ occurredAt: iso(now + DAY), lateEntryReason: undefined });
    expect([future.status, future.body.code]).toEqual([400, 'STEP_IN_FUTURE']);
    const caseId = (await open({ occurredAt: iso(Date.now() - HOUR) })).body.id as string;
    const ahead = await step(caseId, { stepType: 'inquiry', occurredAt: iso(Date.now() + HOUR) });
    expect([ahead.status, ahead.body.code]).toEqual([400, 'STEP_IN_FUTURE']);
    // A minute ahead is a drifting clock, not a step that has not happened yet.
    const drift = await step(caseId, { stepType: 'inquiry', occurredAt: iso(Date.now() + 60_000), lateEntryReason: undefined });
    expect(drift.status).toBe(201);
  });

  it("refuses a correction that names no record of this case (CORRECTED_RECORD_NOT_FOUND), another case's included", async () => {
    const caseId = (await open({ occurredAt: iso(Date.now() - HOUR) })).body.id as string;
    const elsewhere = (await open({ occurredAt: iso(Date.now() - HOUR) })).body.id as string;
    const foreign = await step(elsewhere, { stepType: 'other', occurredAt: iso(Date.now() - HOUR), text: '电话联系当事人' });
    expect(foreign.status).toBe(201);
    const correction = (correctsRecordId?: string) =>
      step(caseId, { stepType: 'correction', occurredAt: iso(Date.now() - 60_000), correctsRecordId, text: '应为短信联系' });

    for (const target of [undefined, randomUUID(), foreign.body.id as string]) {
      const refused = await correction(target);
      expect([refused.status, refused.body.code]).toEqual([422, 'CORRECTED_RECORD_NOT_FOUND']);
    }
    const own = await step(caseId, { stepType: 'other', occurredAt: iso(Date.now() - HOUR), text: '电话联系当事人' });
    expect((await correction(own.body.id as string)).status).toBe(201);
  });

  it('needs two certified officers to inquire or to serve in person, and checks certificates at the moment of the act', async () => {
    const caseId = (await open({ occurredAt: iso(now - 3 * DAY), lateEntryReason: REASON })).body.id as string;
    const alone = await step(caseId, { stepType: 'inquiry', occurredAt: iso(now - 2 * DAY), coOfficerIds: [] });
    expect([alone.status, alone.body.code]).toEqual([403, 'TOO_FEW_OFFICERS']);
    // Two days ago the newcomer held no certificate yet, whatever they hold now.
    const notYet = await step(caseId, { stepType: 'inquiry', occurredAt: iso(now - 2 * DAY), coOfficerIds: [newcomer.userId] });
    expect([notYet.status, notYet.body.code]).toEqual([403, 'CERTIFICATE_EXPIRED']);
    const today = await step(caseId, { stepType: 'inquiry', occurredAt: iso(now - HOUR), coOfficerIds: [newcomer.userId] });
    expect(today.status).toBe(201);
  });

  it('lets officers of another agency act beside the case’s own only once its assistance is recorded (Art. 42)', async () => {
    const caseId = (await open({ occurredAt: iso(now - 3 * HOUR) })).body.id as string;
    const before = await step(caseId, { stepType: 'inquiry', occurredAt: iso(now - 2 * HOUR), coOfficerIds: [neighbour.userId] });
    expect([before.status, before.body.code]).toEqual([403, 'CERTIFICATE_OTHER_AGENCY']);
    const unnamed = await step(caseId, { stepType: 'assisting-agency', occurredAt: iso(now - 2 * HOUR), fields: { basis: '联合执法' } });
    expect([unnamed.status, unnamed.body.code]).toEqual([400, 'ASSISTING_AGENCY_REQUIRED']);
    const recorded = await step(caseId, {
      stepType: 'assisting-agency',
      occurredAt: iso(now - 2 * HOUR),
      fields: { agencyId: NEIGHBOUR, basis: '两局联合执法' },
    });
    expect(recorded.status).toBe(201);
    const together = await step(caseId, { stepType: 'inquiry', occurredAt: iso(now - HOUR), coOfficerIds: [neighbour.userId] });
    expect(together.status).toBe(201);
    // The assisting agency's officer acts beside the case's own, never on the case alone.
    const alone = await step(caseId, { stepType: 'other', occurredAt: iso(now - HOUR), coOfficerIds: [] }, neighbour);
    expect([alone.status, alone.body.code]).toEqual([403, 'CASE_SCOPE']);
  });

  it("waits for the party's period, holds the decision to the notice, and lets the party waive on record", async () => {
    const caseId = (await open({ occurredAt: iso(now - 30 * DAY), lateEntryReason: REASON })).body.id as string;
    const noticeAt = now - 10 * HOUR;
    expect((await step(caseId, { stepType: 'inspection', occurredAt: iso(now - 20 * DAY) })).status).toBe(201);
    const backdated = await step(caseId, { stepType: 'notice', occurredAt: iso(now - 25 * DAY), fields: notified });
    expect([backdated.status, backdated.body.code]).toEqual([422, 'STEP_BEFORE_PREREQUISITE']);
    expect(backdated.body.details).toMatchObject({ prerequisite: 'investigation', prerequisiteAt: iso(now - 20 * DAY) });
    expect((await step(caseId, { stepType: 'notice', occurredAt: iso(noticeAt), fields: notified })).status).toBe(201);

    const early = await step(caseId, { stepType: 'decision', occurredAt: iso(now - HOUR), fields: notified });
    expect([early.status, early.body.code]).toEqual([422, 'STATEMENT_PERIOD_RUNNING']);
    const heavier = await step(caseId, {
      stepType: 'decision',
      occurredAt: iso(now - HOUR),
      fields: { ...notified, penalties: [fine(600_000)] },
    });
    expect([heavier.status, heavier.body.code]).toEqual([422, 'DECISION_EXCEEDS_NOTICE']);
    const otherFacts = await step(caseId, {
      stepType: 'decision',
      occurredAt: iso(now - HOUR),
      fields: { ...notified, facts: '销售假冒食品' },
    });
    expect([otherFacts.status, otherFacts.body.code]).toEqual([422, 'DECISION_EXCEEDS_NOTICE']);

    const unsigned = await step(caseId, { stepType: 'rights-waiver', occurredAt: iso(noticeAt + HOUR), fields: { waives: ['statement'] } });
    expect([unsigned.status, unsigned.body.code]).toEqual([400, 'WAIVER_SIGNATURE_REQUIRED']);
    const waived = await step(caseId, {
      stepType: 'rights-waiver',
      occurredAt: iso(noticeAt + HOUR),
      fields: { waives: ['statement'], partySignature: 'signed' },
    });
    expect(waived.status).toBe(201);
    const decided = await step(caseId, { stepType: 'decision', occurredAt: iso(now - HOUR), fields: { ...notified, partyPresent: true } });
    expect(decided.status).toBe(201);
    const afterDecision = await step(caseId, { stepType: 'hearing-request', occurredAt: iso(now - 30 * 60_000) });
    expect(afterDecision.body.code).toBe('HEARING_REQUEST_AFTER_DECISION');
    const serviceBefore = await step(caseId, { stepType: 'service', occurredAt: iso(now - 2 * HOUR) });
    expect([serviceBefore.status, serviceBefore.body.code]).toEqual([422, 'STEP_BEFORE_PREREQUISITE']);
  });

  it("opens the hearing from the agency's own thresholds and holds it only at the notified time and place", async () => {
    const put = await http()
      .put(`/agencies/${AGENCY}/procedure-settings`)
      .set('authorization', await auth(admin))
      .send({ largeFineFen: { organisation: 300_000 } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ largeFineFen: { organisation: 300_000, 'natural-person': 1_000_000 }, statementPeriodWorkingDays: 5 });
    // Setting a period keeps the amounts (a catalog's, or an administrator's); leaving the periods out restores their defaults.
    const periods = await http()
      .put(`/agencies/${AGENCY}/procedure-settings`)
      .set('authorization', await auth(admin))
      .send({ statementPeriodWorkingDays: 7, lateEntryLimitMinutes: 2880 });
    expect(periods.body).toMatchObject({
      largeFineFen: { organisation: 300_000 },
      statementPeriodWorkingDays: 7,
      lateEntryLimitMinutes: 2880,
    });
    const restored = await http()
      .put(`/agencies/${AGENCY}/procedure-settings`)
      .set('authorization', await auth(admin))
      .send({});
    expect(restored.body).toMatchObject({
      largeFineFen: { organisation: 300_000 },
      statementPeriodWorkingDays: 5,
      lateEntryLimitMinutes: 1440,
    });
    const officerPut = await http()
      .put(`/agencies/${AGENCY}/procedure-settings`)
      .set('authorization', await auth(a))
      .send({ statementPeriodWorkingDays: 3 });
    expect(officerPut.status).toBe(403);

    const caseId = (await open({ occurredAt: iso(now - 30 * DAY), lateEntryReason: REASON })).body.id as string;
    const noticeAt = now - 25 * DAY;
    expect((await step(caseId, { stepType: 'inspection', occurredAt: iso(now - 29 * DAY) })).status).toBe(201);
    const notice = await step(caseId, { stepType: 'notice', occurredAt: iso(noticeAt), fields: notified });
    expect(notice.body.fields).toMatchObject({ hearingRight: true });
    expect((await step(caseId, { stepType: 'hearing-request', occurredAt: iso(noticeAt + HOUR) })).status).toBe(201);
    const hearingAt = noticeAt + 15 * DAY;
    const noPlace = await step(caseId, {
      stepType: 'hearing-notice',
      occurredAt: iso(noticeAt + 2 * HOUR),
      fields: { hearingAt: iso(hearingAt) },
    });
    expect([noPlace.status, noPlace.body.code]).toEqual([400, 'HEARING_PLACE_REQUIRED']);
    expect(
      (
        await step(caseId, {
          stepType: 'hearing-notice',
          occurredAt: iso(noticeAt + 2 * HOUR),
          fields: { hearingAt: iso(hearingAt), hearingPlace: '第一听证室' },
        })
      ).status,
    ).toBe(201);
    const elsewhen = await step(
      caseId,
      {
        stepType: 'hearing',
        occurredAt: iso(hearingAt - DAY),
        place: '第一听证室',
        coOfficerIds: [],
        fields: { chairOfficerId: chair.userId },
      },
      chair,
    );
    expect([elsewhen.status, elsewhen.body.code]).toEqual([422, 'HEARING_NOT_AS_NOTIFIED']);
    const elsewhere = await step(
      caseId,
      { stepType: 'hearing', occurredAt: iso(hearingAt), place: '局长办公室', coOfficerIds: [], fields: { chairOfficerId: chair.userId } },
      chair,
    );
    expect(elsewhere.body.code).toBe('HEARING_NOT_AS_NOTIFIED');
    const held = await step(
      caseId,
      { stepType: 'hearing', occurredAt: iso(hearingAt), place: '第一听证室', coOfficerIds: [], fields: { chairOfficerId: chair.userId } },
      chair,
    );
    expect(held.status).toBe(201);
    const withoutTranscript = await step(caseId, { stepType: 'decision', occurredAt: iso(now - HOUR), fields: notified });
    expect([withoutTranscript.status, withoutTranscript.body.code]).toEqual([400, 'HEARING_TRANSCRIPT_REQUIRED']);
  });

  it('keeps the hearing window open for a heavy notice, refuses a heavier notice after the statement, and asks for the collective decision (Art. 45, 57, 64)', async () => {
    const person = { kind: 'natural-person', name: '李某', identifier: '11010519491231002X', contact: {} };
    const heavy = {
      penalties: [{ kind: 'licence-suspension' }, fine(500_000)],
      facts: '无证经营',
      legalBasis: '《无证无照经营查处办法》第十三条',
    };
    const first = (await open({ occurredAt: iso(now - 30 * DAY), lateEntryReason: REASON, party: person })).body.id as string;
    expect((await step(first, { stepType: 'inspection', occurredAt: iso(now - 29 * DAY) })).status).toBe(201);
    expect((await step(first, { stepType: 'notice', occurredAt: iso(now - 3 * HOUR), fields: heavy })).status).toBe(201);
    const statementWaived = await step(first, {
      stepType: 'rights-waiver',
      occurredAt: iso(now - 2 * HOUR),
      fields: { waives: ['statement'], partySignature: 'signed' },
    });
    expect(statementWaived.status).toBe(201);
    // The statement period is waived, the hearing right is not: the decision waits for the five working days.
    const early = await step(first, { stepType: 'decision', occurredAt: iso(now - HOUR), fields: heavy });
    expect([early.status, early.body.code]).toEqual([422, 'HEARING_WINDOW_OPEN']);

    const second = (await open({ occurredAt: iso(now - 30 * DAY), lateEntryReason: REASON, party: person })).body.id as string;
    const small = { penalties: [fine(50_000)], facts: '占道经营', legalBasis: '《城市市容和环境卫生管理条例》' };
    expect((await step(second, { stepType: 'inspection', occurredAt: iso(now - 29 * DAY) })).status).toBe(201);
    expect((await step(second, { stepType: 'notice', occurredAt: iso(now - 20 * DAY), fields: small })).status).toBe(201);
    expect((await step(second, { stepType: 'statement', occurredAt: iso(now - 19 * DAY), text: '已整改，请求从轻' })).status).toBe(201);
    const heavier = { ...small, penalties: [fine(80_000)], seriousViolation: true };
    const punished = await step(second, { stepType: 'notice', occurredAt: iso(now - 18 * DAY), fields: heavier });
    expect([punished.status, punished.body.code]).toEqual([422, 'HEAVIER_AFTER_DEFENCE']);
    expect((await step(second, { stepType: 'inquiry', occurredAt: iso(now - 18 * DAY + HOUR) })).status).toBe(201);
    const found = await step(second, {
      stepType: 'notice',
      occurredAt: iso(now - 17 * DAY),
      fields: { ...heavier, changeReason: '询问查明占道面积扩大' },
    });
    expect(found.status).toBe(201);
    // The notice calls the violation serious: the leaders decide collectively, whatever the amount.
    const alone = await step(second, { stepType: 'decision', occurredAt: iso(now - HOUR), fields: heavier });
    expect([alone.status, alone.body.code]).toEqual([422, 'COLLECTIVE_DECISION_REQUIRED']);
    expect((await step(second, { stepType: 'collective-decision', occurredAt: iso(now - 2 * HOUR) })).status).toBe(201);
    expect((await step(second, { stepType: 'decision', occurredAt: iso(now - HOUR), fields: heavier })).status).toBe(201);
  });

  it('on the spot: fines are summed and the party signs or refuses on record (Art. 51, 52)', async () => {
    const opened = await open({
      occurredAt: iso(Date.now() - 10 * 60_000),
      procedure: 'simplified',
      party: { kind: 'natural-person', name: '张某', identifier: '11010519491231002X', contact: {} },
    });
    const caseId = opened.body.id as string;
    const decide = (fields: Record<string, unknown>) =>
      step(caseId, { stepType: 'decision', occurredAt: iso(Date.now() - 60_000), fields: { partyInformed: true, ...fields } });
    expect((await decide({ penalties: [fine(15_000), fine(10_000)], partySignature: 'signed' })).body.code).toBe(
      'SIMPLIFIED_PROCEDURE_NOT_ALLOWED',
    );
    expect((await decide({ penalties: [{ kind: 'fine' }], partySignature: 'signed' })).body.code).toBe('FINE_AMOUNT_REQUIRED');
    expect((await decide({ penalties: [fine(15_000)] })).body.code).toBe('PARTY_SIGNATURE_REQUIRED');
    expect((await decide({ penalties: [fine(15_000)], partySignature: 'signed', partyInformed: false })).body.code).toBe('NOTICE_REQUIRED');
    const decided = await decide({ penalties: [fine(15_000)], partySignature: 'refused' });
    expect(decided.status).toBe(201);
    expect((decided.body.certificates as unknown[]).length).toBe(2);
  });
});
