import type { AuthenticatedUser } from '@enforcement/auth';
import { Events, recordingV1, timestampDate, timestampFromDate } from '@enforcement/contracts';
import { DeadLetterEntity } from '@enforcement/events';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { publicityService } from '../service';
import { decisionIssued, leakyDecision, publishEvent, SEEDED } from '../test-support/publicity-fixtures';
import { DisclosureEntity } from './disclosure.entity';

const AGENCY = randomUUID();
const admin: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY, roles: ['officer', 'agency-admin'] };
const DAY = 24 * 3600_000;

/**
 * Art. 48 for a changed decision: the published one is withdrawn and the decision as changed is published in its
 * place, within its own deadline, redacted and reviewed like any decision, the two linked on the portal.
 */
describe('changed decisions published in the withdrawn ones’ place, on MariaDB', () => {
  let sut: ServiceUnderTest;
  let dataSource: DataSource;
  const http = () => request(sut.app.getHttpServer() as App);
  const auth = async () => ({ authorization: `Bearer ${await sut.tokenFor(admin)}` });
  const rowsOf = (caseId: string) => dataSource.manager.find(DisclosureEntity, { where: { caseId }, order: { revision: 'ASC' } });

  async function issueAndPublish(init: ReturnType<typeof decisionIssued>): Promise<DisclosureEntity> {
    await publishEvent(sut.broker, Events.DecisionIssued, init, { key: String(init.caseId), agencyId: AGENCY });
    const [row] = await rowsOf(String(init.caseId));
    if (!row) throw new Error(`no disclosure; dead letters: ${JSON.stringify(await dataSource.manager.find(DeadLetterEntity))}`);
    if (row.status === 'pending-review') {
      await http()
        .post(`/disclosures/${row.id}/approval`)
        .set(await auth())
        .send({})
        .expect(200);
    }
    return row;
  }

  function change(row: DisclosureEntity, changed: { decisionNumber?: string } = {}, alteredAt = new Date()) {
    return {
      caseId: row.caseId,
      decisionNumber: row.decisionNumber,
      kind: recordingV1.AlterationKind.CHANGED,
      reason: '行政复议决定变更罚款数额',
      alteredAt: timestampFromDate(alteredAt),
      changed: {
        penalties: [{ kind: 'fine', amountFen: 200_000n, description: '' }],
        factsSummary: `当事人（电话${SEEDED.phone}）无证经营食品摊点`,
        legalBasis: '《中华人民共和国食品安全法》第一百二十二条',
        decisionNumber: `沪市监黄处罚〔2026〕变${Math.floor(Math.random() * 100000)}号`,
        decisionText: `当事人${SEEDED.personName}，身份证号码${SEEDED.residentId}。经行政复议，变更为罚款人民币贰仟元。`,
        chainHead: 'c'.repeat(64),
        ...changed,
      },
    };
  }

  beforeAll(async () => {
    sut = await startServiceForTest(publicityService, { DISCLOSURE_CHECK_INTERVAL_MS: '0' });
    dataSource = sut.app.get(DataSource);
    await publishEvent(
      sut.broker,
      Events.AgencyRegistered,
      {
        agencyId: AGENCY,
        name: '上海市黄浦区市场监督管理局（测试）',
        creditCode: '11310101MB2F1234XK',
        regionCode: '310101',
        domains: ['market-regulation'],
        legalBasis: '《中华人民共和国食品安全法》',
      },
      { key: AGENCY },
    );
  });

  afterAll(async () => {
    await sut?.close();
  });

  it('withdraws the published decision; the change waits for review with its own deadline, redacted, and once published the two link', async () => {
    const issuedAt = new Date(Date.now() - 40 * DAY);
    const old = await issueAndPublish(leakyDecision(AGENCY));
    await dataSource.manager.update(
      DisclosureEntity,
      { id: old.id },
      { decidedAt: issuedAt, dueAt: new Date(issuedAt.getTime() + 9 * DAY) },
    );
    const altered = change(old);
    const eventId = await publishEvent(sut.broker, Events.DecisionAltered, altered, { key: old.caseId, agencyId: AGENCY });
    await publishEvent(sut.broker, Events.DecisionAltered, altered, { key: old.caseId, agencyId: AGENCY, eventId });
    // The same change sent again as another event (a replay): still one replacement.
    await publishEvent(sut.broker, Events.DecisionAltered, altered, { key: old.caseId, agencyId: AGENCY });

    const [withdrawn, replacement, ...more] = await rowsOf(old.caseId);
    expect(more).toEqual([]);
    expect(withdrawn).toMatchObject({ id: old.id, status: 'withdrawn', replacedById: null });
    expect(withdrawn.withdrawalReason).toMatch(/^该行政处罚决定已被变更：行政复议决定变更罚款数额/);
    expect(replacement).toMatchObject({
      status: 'pending-review',
      revision: 1,
      replacesId: old.id,
      decisionNumber: altered.changed.decisionNumber,
      fineFen: 200_000,
      chainHead: 'c'.repeat(64),
    });
    // Its own deadline, from the change, not the withdrawn decision's (long past).
    expect(replacement.decidedAt.toISOString()).toBe(timestampDate(altered.alteredAt).toISOString());
    expect(replacement.dueAt.getTime()).toBeGreaterThan(Date.now());
    expect(replacement.dueAt.getTime()).toBeLessThan(Date.now() + 20 * DAY);

    const review = await http()
      .get(`/disclosures/${replacement.id}`)
      .set(await auth())
      .expect(200);
    expect(review.body.original.decisionText).toContain(SEEDED.residentId);
    expect(review.body.original.otherPersons).toEqual([SEEDED.thirdParty]);
    expect(review.body.redacted.partyName).toBe('张某某');
    expect(JSON.stringify(review.body.redacted)).not.toContain(SEEDED.residentId);
    expect(JSON.stringify(review.body.redacted)).not.toContain(SEEDED.phone);
    expect(review.body.history).toEqual([
      expect.objectContaining({ action: 'received-change', detail: expect.objectContaining({ replaces: old.id }) }),
    ]);

    // Until the change is public, the withdrawn decision links to nothing.
    expect((await http().get(`/public/decisions/${old.id}`).expect(200)).body).not.toHaveProperty('replacedBy');
    await http().get(`/public/decisions/${replacement.id}`).expect(404);

    const approved = await http()
      .post(`/disclosures/${replacement.id}/approval`)
      .set(await auth())
      .send({})
      .expect(200);
    expect(approved.body.published).toMatchObject({
      replaces: old.id,
      decisionNumber: altered.changed.decisionNumber,
      fineYuan: '2000.00',
    });
    expect(approved.body.published.content).toContain('变更为罚款人民币贰仟元');
    expect(approved.body.published.content).not.toContain(SEEDED.residentId);
    const shown = await http().get(`/public/decisions/${replacement.id}`).expect(200);
    expect(shown.body).toMatchObject({ status: 'published', record: { replaces: old.id } });
    expect((await http().get(`/public/decisions/${old.id}`).expect(200)).body).toMatchObject({
      status: 'withdrawn',
      replacedBy: replacement.id,
    });
  });

  it('a change that keeps the decision’s number is published under it, as the next revision', async () => {
    const old = await issueAndPublish(decisionIssued({ agencyId: AGENCY }));

    await publishEvent(sut.broker, Events.DecisionAltered, change(old, { decisionNumber: '' }), { key: old.caseId, agencyId: AGENCY });

    const [first, second] = await rowsOf(old.caseId);
    expect([first.status, first.revision]).toEqual(['withdrawn', 0]);
    expect(second).toMatchObject({ status: 'pending-review', revision: 1, decisionNumber: old.decisionNumber, replacesId: old.id });
  });

  it('a later revocation withdraws the change published in place, though it names the original number', async () => {
    const old = await issueAndPublish(decisionIssued({ agencyId: AGENCY }));
    await publishEvent(sut.broker, Events.DecisionAltered, change(old), { key: old.caseId, agencyId: AGENCY });
    const [, replacement] = await rowsOf(old.caseId);
    await http()
      .post(`/disclosures/${replacement.id}/approval`)
      .set(await auth())
      .send({})
      .expect(200);

    await publishEvent(
      sut.broker,
      Events.DecisionAltered,
      {
        caseId: old.caseId,
        decisionNumber: old.decisionNumber,
        kind: recordingV1.AlterationKind.REVOKED,
        reason: '人民法院判决撤销',
        alteredAt: timestampFromDate(new Date()),
      },
      { key: old.caseId, agencyId: AGENCY },
    );

    const rows = await rowsOf(old.caseId);
    expect(rows.map((row) => [row.revision, row.status])).toEqual([
      [0, 'withdrawn'],
      [1, 'withdrawn'],
    ]);
    expect(rows[1].withdrawalReason).toMatch(/^该行政处罚决定已被撤销/);
  });

  it('a change of a decision never published stays unpublished (a minor), and one before publication cancels and replaces', async () => {
    const minor = decisionIssued({
      agencyId: AGENCY,
      party: { kind: recordingV1.PartyKind.NATURAL_PERSON, name: '王小明', isMinor: true },
      organisationCreditCode: '',
    });
    const never = await issueAndPublish(minor);
    expect(never.status).toBe('not-published');
    await publishEvent(sut.broker, Events.DecisionAltered, change(never), { key: never.caseId, agencyId: AGENCY });
    expect((await rowsOf(never.caseId)).map((row) => [row.status, row.notPublishedCode])).toEqual([
      ['not-published', 'PARTY_IS_MINOR'],
      ['not-published', 'PARTY_IS_MINOR'],
    ]);

    const init = decisionIssued({ agencyId: AGENCY });
    await publishEvent(sut.broker, Events.DecisionIssued, init, { key: String(init.caseId), agencyId: AGENCY });
    const [waiting] = await rowsOf(String(init.caseId));
    await publishEvent(sut.broker, Events.DecisionAltered, change(waiting), { key: waiting.caseId, agencyId: AGENCY });
    expect((await rowsOf(waiting.caseId)).map((row) => row.status)).toEqual(['cancelled', 'pending-review']);
  });

  it('a revocation that carries a changed decision breaks the contract: dead letter, nothing withdrawn', async () => {
    const old = await issueAndPublish(decisionIssued({ agencyId: AGENCY }));

    const eventId = await publishEvent(
      sut.broker,
      Events.DecisionAltered,
      { ...change(old), kind: recordingV1.AlterationKind.REVOKED },
      { key: old.caseId },
    );

    expect((await rowsOf(old.caseId)).map((row) => row.status)).toEqual(['published']);
    expect(await dataSource.manager.countBy(DeadLetterEntity, { eventId })).toBe(1);
  });
});
