import type { AuthenticatedUser } from '@enforcement/auth';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { seedCertificates } from '../evidence/test-support/evidence-fixtures';
import { recordingService } from '../service';
import { CaseStateSeal } from './case-state-seal';
import { CaseRepository } from './case.repository';

const AGENCY = '3f1e0c1a-0000-4000-8000-0000000000e7';
const [a, b]: AuthenticatedUser[] = [0, 1].map(() => ({ userId: randomUUID(), agencyId: AGENCY, roles: ['officer'] }));
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const late = { lateEntryReason: '案件纸质卷宗补录入系统' };
/** A penalty no collective decision is needed for; the notice sends the case to legal review all the same. */
const SMALL_FINE = { penalties: [{ kind: 'fine', amountFen: 50_000 }], facts: '销售过期食品' };
const iso = (ms: number) => new Date(ms).toISOString();
const party = { kind: 'organisation', name: '上海某某食品有限公司', identifier: '91310101MA1FL1234C', contact: {} };

/**
 * Issue #11: a case's state cannot be bent behind the service's back. Every column the decision gates read (the
 * legal-review status, decided and closed, the procedure state, the record count) is sealed with the chain head; a
 * column edited by SQL on MariaDB gets the case refused on the step path (CASE_STATE_TAMPERED, 409), where before
 * an edited legal_review_status let a decision through, and verification reports it.
 */
describe('the case state seal (HTTP, SQL edits on MariaDB)', () => {
  let sut: ServiceUnderTest;
  let dataSource: DataSource;
  const now = Date.now();
  const http = () => request(sut.app.getHttpServer() as App);
  let token: string;

  const open = async (): Promise<string> => {
    const opened = await http()
      .post('/cases')
      .set('authorization', token)
      .set(await sut.coOfficerProofs(b))
      .send({
        domain: 'market-regulation',
        regionCode: '310101',
        procedure: 'general',
        party,
        allegedViolation: '销售超过保质期的食品',
        legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
        coOfficerIds: [b.userId],
        // Entered weeks later (a paper file typed in): the party's periods have run, nothing but review holds the decision.
        occurredAt: iso(now - 40 * DAY),
        ...late,
      });
    expect([opened.status, opened.body.code]).toEqual([201, undefined]);
    return opened.body.id as string;
  };
  const step = async (caseId: string, body: Record<string, unknown>) =>
    http()
      .post(`/cases/${caseId}/steps`)
      .set('authorization', token)
      .set(await sut.coOfficerProofs(b))
      .send({ place: '上海市黄浦区南京东路1号', coOfficerIds: [b.userId], occurredAt: iso(now - 10 * MINUTE), ...body });
  const other = (caseId: string) => step(caseId, { stepType: 'other', text: '现场情况说明' });
  /** A case under a notice that needs legal review before the decision (Art. 58). */
  const noticed = async (): Promise<string> => {
    const caseId = await open();
    const notice = { ...SMALL_FINE, requiresLegalReview: true };
    expect((await step(caseId, { stepType: 'notice', occurredAt: iso(now - 30 * DAY), fields: notice, ...late })).status).toBe(201);
    return caseId;
  };
  const sql = (statement: string, params: unknown[]) => dataSource.query(statement, params);
  const verification = async (caseId: string) =>
    (await http().get(`/cases/${caseId}/verification`).set('authorization', token).expect(200)).body as Record<string, unknown>;

  beforeAll(async () => {
    sut = await startServiceForTest(recordingService, { LOG_LEVEL: 'silent' });
    dataSource = sut.app.get(DataSource);
    await seedCertificates(
      sut.app,
      [a, b].map((officer) => ({ officerId: officer.userId, agencyId: AGENCY })),
    );
    token = `Bearer ${await sut.tokenFor(a)}`;
  });

  afterAll(() => sut?.close());

  it('keeps recording steps on a case nobody edited, and verification finds it intact', async () => {
    const caseId = await noticed();
    expect((await other(caseId)).status).toBe(201);
    expect(await verification(caseId)).toMatchObject({ intact: true });
  });

  it('refuses the decision of a case whose legal_review_status was set to approved by SQL, and verification reports it', async () => {
    const caseId = await noticed();
    const decide = () =>
      step(caseId, {
        stepType: 'decision',
        fields: { ...SMALL_FINE, decisionNumber: '沪黄市监罚〔2026〕5号', partyPresent: true },
      });
    expect((await decide()).body.code).toBe('LEGAL_REVIEW_REQUIRED');
    await sql('UPDATE cases SET legal_review_status = ? WHERE id = ?', ['approved', caseId]);
    const refused = await decide();
    expect([refused.status, refused.body.code]).toEqual([409, 'CASE_STATE_TAMPERED']);
    expect(Number((await sql('SELECT COUNT(*) AS n FROM case_records WHERE case_id = ?', [caseId]))[0].n)).toBe(2);
    expect(await verification(caseId)).toMatchObject({
      intact: false,
      firstBroken: { reason: 'case-state-mismatch', detail: 'legal-review status', expected: 'required', actual: 'approved' },
    });

    // What the seal stops: resealed with the service's own key (which the editor lacks), the edit lets the decision
    // through; verification still reports it, from the records.
    const cases = sut.app.get(CaseRepository);
    const edited = await cases.find(caseId);
    if (!edited) throw new Error(caseId);
    await sql('UPDATE cases SET state_seal = ? WHERE id = ?', [sut.app.get(CaseStateSeal).of(edited), caseId]);
    expect((await decide()).body).toMatchObject({ stepType: 'decision' });
    expect(await verification(caseId)).toMatchObject({ intact: false, firstBroken: { detail: 'legal-review status', actual: 'approved' } });
  });

  it('takes a column put back as it was: the seal judges the content, not that someone touched the row', async () => {
    const caseId = await noticed();
    await sql('UPDATE cases SET legal_review_status = ? WHERE id = ?', ['approved', caseId]);
    expect((await other(caseId)).body.code).toBe('CASE_STATE_TAMPERED');
    await sql('UPDATE cases SET legal_review_status = ? WHERE id = ?', ['required', caseId]);
    expect((await other(caseId)).status).toBe(201);
  });

  it.each([
    ['decided', 'UPDATE cases SET status = ? WHERE id = ?', ['decided'], 'status'],
    ['closed', 'UPDATE cases SET status = ?, closed_at = NOW(3) WHERE id = ?', ['closed'], 'status'],
    ['record count', 'UPDATE cases SET record_count = record_count - ? WHERE id = ?', [1], undefined],
    ['collective decision flag', 'UPDATE cases SET requires_collective_decision = ? WHERE id = ?', [1], undefined],
  ])('refuses a case whose %s was edited by SQL', async (_what, statement, values, detail) => {
    const caseId = await noticed();
    await sql(statement, [...values, caseId]);
    const refused = await other(caseId);
    expect([refused.status, refused.body.code]).toEqual([409, 'CASE_STATE_TAMPERED']);
    expect(await verification(caseId)).toMatchObject({ intact: false, ...(detail ? { firstBroken: { detail } } : {}) });
  });

  it('refuses a case whose procedure-state JSON was edited (the notice forgotten), and one whose seal was removed', async () => {
    const edited = await noticed();
    const [{ state }] = (await sql('SELECT procedure_state AS state FROM cases WHERE id = ?', [edited])) as Array<{ state: string }>;
    const forgotten = JSON.parse(state) as { latest: Record<string, unknown> };
    delete forgotten.latest['notice'];
    await sql('UPDATE cases SET procedure_state = ? WHERE id = ?', [JSON.stringify(forgotten), edited]);
    expect((await other(edited)).body.code).toBe('CASE_STATE_TAMPERED');
    expect(await verification(edited)).toMatchObject({
      intact: false,
      firstBroken: { reason: 'case-state-mismatch', detail: 'state seal' },
    });

    const unsealed = await noticed();
    await sql('UPDATE cases SET state_seal = NULL WHERE id = ?', [unsealed]);
    expect((await other(unsealed)).body.code).toBe('CASE_STATE_TAMPERED');
  });

  it("refuses a case whose row was copied from another case's state (the seal binds the case id and chain head)", async () => {
    const [source, target] = [await noticed(), await open()];
    await sql(
      `UPDATE cases AS t JOIN cases AS s ON s.id = ? SET t.legal_review_status = s.legal_review_status, t.state_seal = s.state_seal
       WHERE t.id = ?`,
      [source, target],
    );
    expect((await other(target)).body.code).toBe('CASE_STATE_TAMPERED');
  });
});
