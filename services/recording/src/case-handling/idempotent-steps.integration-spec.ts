import type { AuthenticatedUser } from '@enforcement/auth';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { seedCertificates } from '../evidence/test-support/evidence-fixtures';
import { recordingService } from '../service';
import { generalCaseBody, writeDecision } from './test-support/case-fixtures';

const AGENCY = '3f1e0c1a-0000-4000-8000-0000000000f1';
const officer = (): AuthenticatedUser => ({ userId: randomUUID(), agencyId: AGENCY, roles: ['officer'] });
const [a, b] = [officer(), officer()];
const PLACE = '上海市黄浦区南京东路1号';

/**
 * A step sent again under its Idempotency-Key (an answer lost on a field network, the device retrying) is answered
 * with the record it created and recorded once, whatever else the retry trips over (its spent proof, a twin sent at
 * the same moment); the key is its caller's, bound to one request, and kept only with a step recorded. HTTP on MariaDB.
 */
describe('a step, an opening or a decision change sent again under its Idempotency-Key is applied once (HTTP, MariaDB)', () => {
  let sut: ServiceUnderTest;
  let caseId: string;
  const http = () => request(sut.app.getHttpServer() as App);
  const auth = async (user: AuthenticatedUser) => `Bearer ${await sut.tokenFor(user)}`;
  const note = (text = '调取进货台账及销售记录') => ({ stepType: 'other', occurredAt: new Date().toISOString(), place: PLACE, text });
  const inspection = () => ({ stepType: 'inspection', occurredAt: new Date().toISOString(), place: PLACE, coOfficerIds: [b.userId] });
  const step = async (body: object, key: string | undefined, headers: Record<string, string> = {}, by = a) => {
    const sent = http()
      .post(`/cases/${caseId}/steps`)
      .set('authorization', await auth(by))
      .set(headers);
    return (key === undefined ? sent : sent.set('Idempotency-Key', key)).send(body);
  };
  const recordCount = async () =>
    Number(
      (
        (await sut.app.get(DataSource).query('SELECT COUNT(*) AS n FROM case_records WHERE case_id = ?', [caseId])) as Array<{ n: number }>
      )[0].n,
    );
  const keysKept = async () =>
    Number(((await sut.app.get(DataSource).query('SELECT COUNT(*) AS n FROM idempotency_keys')) as Array<{ n: number }>)[0].n);

  const waitForLockWaits = async (count: number) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [{ n }] = (await sut.app
        .get(DataSource)
        .query(
          "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND INFO LIKE '%UPDATE `cases`%'",
        )) as Array<{ n: number }>;
      if (Number(n) >= count) return;
      if (Date.now() > deadline) throw new Error(`${n} of ${count} twins waiting on the case's row after 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  beforeAll(async () => {
    sut = await startServiceForTest(recordingService);
    await seedCertificates(sut.app, [
      { officerId: a.userId, agencyId: AGENCY },
      { officerId: b.userId, agencyId: AGENCY },
    ]);
    const opened = await http()
      .post('/cases')
      .set('authorization', await auth(a))
      .set(await sut.coOfficerProofs(b))
      .send(generalCaseBody(b.userId));
    expect(opened.status).toBe(201);
    caseId = opened.body.id as string;
  });

  afterAll(() => sut?.close());

  it('answers a step sent again under its key with the record it created, and records it once', async () => {
    const key = randomUUID();
    const body = note();
    const before = await recordCount();

    const first = await step(body, key);
    const again = await step(body, key);

    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body).toEqual(first.body);
    expect(await recordCount()).toBe(before + 1);
    // Without a key, the same body is a new step (two identical notes may well be two facts).
    expect((await step(body, undefined)).status).toBe(201);
    expect(await recordCount()).toBe(before + 2);
  });

  it('answers a two-officer step retried with its spent proof, or a fresh one, with its record, and spends no new proof', async () => {
    const key = randomUUID();
    const body = inspection();
    const proof = await sut.coOfficerProofs(b);
    const before = await recordCount();

    const first = await step(body, key, proof);
    // Without the key this retry is CO_OFFICER_PROOF_REUSED (co-officer-proofs.integration-spec.ts).
    const sameProof = await step(body, key, proof);
    const freshProof = await sut.coOfficerProofs(b);
    const withFresh = await step(body, key, freshProof);

    expect([first.status, sameProof.status, withFresh.status]).toEqual([201, 201, 201]);
    expect([sameProof.body.id, withFresh.body.id]).toEqual([first.body.id, first.body.id]);
    expect(await recordCount()).toBe(before + 1);
    // The fresh proof was not spent by the answered retry: it confirms the next step.
    expect((await step(inspection(), undefined, freshProof)).status).toBe(201);
  });

  it('records twins sent at the same moment under one key once, and answers all of them with that record', async () => {
    const key = randomUUID();
    const body = note('同一请求的并发重发');
    const before = await recordCount();
    // The case's row held by another transaction: every twin finds the key free, then waits to write, as twins
    // arriving together on two replicas would.
    const holder = sut.app.get(DataSource).createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query('SELECT id FROM cases WHERE id = ? FOR UPDATE', [caseId]);
    let answers: request.Response[];
    try {
      const sent = Promise.all([step(body, key), step(body, key), step(body, key)]);
      await waitForLockWaits(3);
      await holder.commitTransaction();
      answers = await sent;
    } finally {
      await holder.release();
    }

    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    expect(await recordCount()).toBe(before + 1);
  });

  it('refuses the key sent with another step (IDEMPOTENCY_KEY_REUSED), writing nothing', async () => {
    const key = randomUUID();
    expect((await step(note('第一项'), key)).status).toBe(201);
    const before = await recordCount();

    const other = await step(note('另一项'), key);

    expect([other.status, other.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await recordCount()).toBe(before);
  });

  it("keeps a key as its caller's own: another officer's same key records their own step", async () => {
    const key = randomUUID();
    const body = note('两名执法人员各自的记录');
    const before = await recordCount();

    const mine = await step(body, key);
    const theirs = await step(body, key, {}, b);

    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.body.recordedBy).toBe(b.userId);
    expect(await recordCount()).toBe(before + 2);
  });

  it('refuses a malformed key (IDEMPOTENCY_KEY_INVALID) before anything is written', async () => {
    const before = [await recordCount(), await keysKept()];
    for (const key of ['short', 'has space in it', 'x'.repeat(65), 'key/with/slashes', 'a1b2c3d4, e5f6g7h8']) {
      const refused = await step(note(), key);
      expect([key, refused.status, refused.body.code]).toEqual([key, 400, 'IDEMPOTENCY_KEY_INVALID']);
    }
    expect([await recordCount(), await keysKept()]).toEqual(before);
  });

  it('keeps no key for a step the rules refuse: the corrected step under the same key is recorded', async () => {
    const key = randomUUID();
    const future = { ...note('尚未发生的环节'), occurredAt: new Date(Date.now() + 24 * 3600_000).toISOString() };
    const kept = await keysKept();

    const refused = await step(future, key);
    expect([refused.status, refused.body.code]).toEqual([400, 'STEP_IN_FUTURE']);
    expect(await keysKept()).toBe(kept);

    expect((await step(note('尚未发生的环节'), key)).status).toBe(201);
  });

  it('answers an opening sent again under its key with the case it opened: one case, one case number', async () => {
    const key = randomUUID();
    const body = generalCaseBody(b.userId, { allegedViolation: '重发的立案请求' });
    const cases = async () =>
      Number(((await sut.app.get(DataSource).query('SELECT COUNT(*) AS n FROM cases')) as Array<{ n: number }>)[0].n);
    const open = async (proofs: Record<string, string>, sent = body) =>
      http()
        .post('/cases')
        .set('authorization', await auth(a))
        .set(proofs)
        .set('Idempotency-Key', key)
        .send(sent);
    const proof = await sut.coOfficerProofs(b);
    const before = await cases();

    const first = await open(proof);
    const again = await open(proof);
    const withFresh = await open(await sut.coOfficerProofs(b));
    const other = await open(await sut.coOfficerProofs(b), { ...body, allegedViolation: '另一起案件' });

    expect([first.status, again.status, withFresh.status]).toEqual([201, 201, 201]);
    expect([again.body.id, withFresh.body.id]).toEqual([first.body.id, first.body.id]);
    expect(again.body).toEqual(first.body);
    expect([other.status, other.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await cases()).toBe(before + 1);
  });

  it('answers a decision change sent again under its key with its record: the decision is changed once', async () => {
    const opened = await http()
      .post('/cases')
      .set('authorization', await auth(a))
      .set(await sut.coOfficerProofs(b))
      .send(generalCaseBody(b.userId, { allegedViolation: '复议变更的案件' }));
    const decided = opened.body.id as string;
    await writeDecision(
      sut.app,
      decided,
      { recordedBy: a.userId, actingOfficerIds: [a.userId, b.userId] },
      { penalties: [{ kind: 'fine', amountFen: 50_000 }], partyPresent: true },
    );
    const key = randomUUID();
    const change = (amountFen: number) => ({ kind: 'changed', reason: '复议变更', penalties: [{ kind: 'fine', amountFen }] });
    const alter = async (body: object) =>
      http()
        .post(`/cases/${decided}/decision-alterations`)
        .set('authorization', await auth(a))
        .set('Idempotency-Key', key)
        .send(body);
    const alterations = async () =>
      Number(
        (
          (await sut.app
            .get(DataSource)
            .query("SELECT COUNT(*) AS n FROM case_records WHERE case_id = ? AND step_type = 'decision-alteration'", [decided])) as Array<{
            n: number;
          }>
        )[0].n,
      );

    const first = await alter(change(20_000));
    const again = await alter(change(20_000));
    const other = await alter(change(10_000));

    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body).toEqual(first.body);
    expect([other.status, other.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await alterations()).toBe(1);
  });

  it('treats a key past its lifetime as new', async () => {
    const key = randomUUID();
    const body = note('过期的幂等键');
    const first = await step(body, key);
    await sut.app
      .get(DataSource)
      .query('UPDATE idempotency_keys SET expires_at = ? WHERE result_id = ?', [new Date(Date.now() - 1000), first.body.id]);
    const before = await recordCount();

    const later = await step(body, key);

    expect(later.status).toBe(201);
    expect(later.body.id).not.toBe(first.body.id);
    expect(await recordCount()).toBe(before + 1);
  });
});
