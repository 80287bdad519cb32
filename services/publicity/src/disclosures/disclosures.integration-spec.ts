import type { AuthenticatedUser } from '@enforcement/auth';
import { canonicalJson } from '@enforcement/canonical-json';
import { decodeEnvelope, decodePayload, Events, recordingV1, timestampFromDate, type EventDefinition } from '@enforcement/contracts';
import { DeadLetterEntity, OutboxEventEntity } from '@enforcement/events';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { randomUUID } from 'node:crypto';
import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { sha256Hex } from '../disclosure-core/merkle';
import { publicityService } from '../service';
import { decisionIssued, leakyDecision, publishEvent, SEEDED } from '../test-support/publicity-fixtures';
import { DisclosureEntity } from './disclosure.entity';
import { DisclosuresService } from './disclosures.service';

const AGENCY_A = randomUUID();
const AGENCY_B = randomUUID();
const adminA: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY_A, roles: ['officer', 'agency-admin'] };
const adminB: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY_B, roles: ['officer', 'agency-admin'] };
const officerA: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY_A, roles: ['officer'] };

describe('disclosures over HTTP and events on MariaDB', () => {
  let sut: ServiceUnderTest;
  let dataSource: DataSource;
  const http = () => request(sut.app.getHttpServer() as App);
  const auth = async (user: AuthenticatedUser) => ({ authorization: `Bearer ${await sut.tokenFor(user)}` });
  /** The disclosures_overdue gauge as /metrics reports it now. */
  const overdueGauge = async () =>
    Number(/^disclosures_overdue\{service="publicity"\} (\S+)$/m.exec((await http().get('/metrics').expect(200)).text)?.[1]);

  async function outboxOf<D extends DescMessage>(definition: EventDefinition<D>, key?: string): Promise<Array<MessageShape<D>>> {
    const rows = await dataSource.manager.find(OutboxEventEntity, {
      where: { eventType: definition.schema.typeName },
      order: { id: 'ASC' },
    });
    return rows
      .filter((row) => key === undefined || row.partitionKey === key)
      .map((row) => decodePayload(definition, decodeEnvelope(row.payload)));
  }

  async function disclosureOf(caseId: string): Promise<DisclosureEntity> {
    const row = await dataSource.manager.findOneBy(DisclosureEntity, { caseId });
    if (!row)
      throw new Error(`no disclosure for ${caseId}; dead letters: ${JSON.stringify(await dataSource.manager.find(DeadLetterEntity))}`);
    return row;
  }

  async function issue(init: ReturnType<typeof decisionIssued>) {
    await publishEvent(sut.broker, Events.DecisionIssued, init, { key: String(init.caseId), agencyId: String(init.agencyId) });
    return disclosureOf(String(init.caseId));
  }

  beforeAll(async () => {
    sut = await startServiceForTest(publicityService, { DISCLOSURE_CHECK_INTERVAL_MS: '0' });
    dataSource = sut.app.get(DataSource);
    await publishEvent(
      sut.broker,
      Events.AgencyRegistered,
      {
        agencyId: AGENCY_A,
        name: '上海市黄浦区市场监督管理局（测试）',
        creditCode: '11310101MB2F1234XK',
        regionCode: '310101',
        domains: ['market-regulation'],
        legalBasis: '《中华人民共和国食品安全法》',
      },
      { key: AGENCY_A },
    );
  });

  afterAll(async () => {
    await sut?.close();
  });

  it('a decision waits for review with its deadline; the reviewer sees the original beside the redacted text and publishes it', async () => {
    const init = leakyDecision(AGENCY_A);
    const row = await issue(init);
    expect(row.status).toBe('pending-review');
    expect(row.dueAt.getTime()).toBeGreaterThan(Date.now());
    // At rest the original is sealed with the field key: no ID number in the table.
    const [sealed] = (await dataSource.query('SELECT original FROM disclosures WHERE id = ?', [row.id])) as Array<{ original: string }>;
    expect(sealed.original).toMatch(/^enc:v1:/);
    expect(sealed.original).not.toContain(SEEDED.residentId);

    const queue = await http()
      .get('/disclosures')
      .set(await auth(adminA))
      .expect(200);
    expect(queue.body.items.map((item: { id: string }) => item.id)).toContain(row.id);
    const detail = await http()
      .get(`/disclosures/${row.id}`)
      .set(await auth(adminA))
      .expect(200);
    expect(detail.body.original.decisionText).toContain(SEEDED.residentId);
    expect(detail.body.redacted.decisionText).not.toContain(SEEDED.residentId);
    expect(detail.body.redacted.decisionText).toContain(SEEDED.thirdParty2); // not named by recording: the reviewer adds it
    expect(detail.body.redacted.partyName).toBe('张某某');
    expect(detail.body.findings.decisionText.map((f: { kind: string }) => f.kind)).toEqual(
      expect.arrayContaining(['resident-id', 'phone', 'bank-card', 'address', 'health']),
    );
    expect(detail.body.history.map((h: { action: string }) => h.action)).toEqual(['received']);

    const approved = await http()
      .post(`/disclosures/${row.id}/approval`)
      .set(await auth(adminA))
      .send({ otherPersons: [SEEDED.thirdParty2] })
      .expect(200);
    expect(approved.body.status).toBe('published');
    const published = approved.body.published;
    expect(published).toEqual(
      expect.objectContaining({
        partyName: '张某某',
        creditCode: '',
        agencyName: '上海市黄浦区市场监督管理局（测试）',
        fineYuan: '5000.00',
        penaltyKinds: ['罚款'],
      }),
    );
    for (const secret of Object.values(SEEDED).filter((v) => v !== SEEDED.health)) expect(JSON.stringify(published)).not.toContain(secret);
    const stored = await disclosureOf(String(init.caseId));
    expect(stored.contentDigest).toBe(sha256Hex(canonicalJson(stored.published)));
    const events = await outboxOf(Events.DisclosurePublished, String(init.caseId));
    expect(events).toEqual([expect.objectContaining({ disclosureId: row.id, agencyId: AGENCY_A })]);
  });

  it('refuses: another agency (403), an officer without the administrator role (403), twice (409), unknown (404), a bad id (400)', async () => {
    const row = await issue(decisionIssued({ agencyId: AGENCY_A }));
    const b = await http()
      .post(`/disclosures/${row.id}/approval`)
      .set(await auth(adminB))
      .send({})
      .expect(403);
    expect(b.body.code).toBe('AGENCY_SCOPE');
    await http()
      .get(`/disclosures/${row.id}`)
      .set(await auth(adminB))
      .expect(403);
    await http()
      .post(`/disclosures/${row.id}/approval`)
      .set(await auth(officerA))
      .send({})
      .expect(403);
    await http()
      .post(`/disclosures/${row.id}/approval`)
      .set(await auth(adminA))
      .send({})
      .expect(200);
    const twice = await http()
      .post(`/disclosures/${row.id}/approval`)
      .set(await auth(adminA))
      .send({})
      .expect(409);
    expect(twice.body.code).toBe('DISCLOSURE_NOT_PENDING');
    const missing = await http()
      .post(`/disclosures/${randomUUID()}/approval`)
      .set(await auth(adminA))
      .send({})
      .expect(404);
    expect(missing.body.code).toBe('DISCLOSURE_NOT_FOUND');
    await http()
      .get('/disclosures/not-a-uuid')
      .set(await auth(adminA))
      .expect(400);
    await http()
      .post(`/disclosures/${row.id}/approval`)
      .set(await auth(adminA))
      .send({ otherPersons: 'x' })
      .expect(400);
    await http().get('/disclosures').expect(401);
  });

  it.each([
    [
      'a minor',
      { party: { kind: recordingV1.PartyKind.NATURAL_PERSON, name: '小明', isMinor: true }, organisationCreditCode: '' },
      'PARTY_IS_MINOR',
    ],
    ['a warning alone', { penalties: [{ kind: 'warning', amountFen: 0n, description: '' }] }, 'WARNING_ONLY'],
    ['a trade secret', { confidentiality: 'trade-secret' }, 'CASE_CONFIDENTIAL'],
  ])('never publishes %s, and never calls it overdue', async (_case, overrides, code) => {
    const old = timestampFromDate(new Date(Date.now() - 60 * 86_400_000));
    const row = await issue(decisionIssued({ agencyId: AGENCY_A, decidedAt: old, ...overrides }));
    expect(row).toEqual(expect.objectContaining({ status: 'not-published', notPublishedCode: code }));
    await sut.app.get(DisclosuresService).announceOverdue();
    expect(await outboxOf(Events.DisclosureOverdue, row.caseId)).toEqual([]);
    const refused = await http()
      .post(`/disclosures/${row.id}/approval`)
      .set(await auth(adminA))
      .send({})
      .expect(409);
    expect(refused.body.code).toBe('DISCLOSURE_NOT_PENDING');
  });

  it('a revocation withdraws a published decision with its public reason (Art. 48), once; the history stays', async () => {
    const init = leakyDecision(AGENCY_A);
    const row = await issue(init);
    await http()
      .post(`/disclosures/${row.id}/approval`)
      .set(await auth(adminA))
      .send({})
      .expect(200);
    const altered = {
      caseId: row.caseId,
      decisionNumber: row.decisionNumber,
      kind: recordingV1.AlterationKind.REVOKED,
      reason: `行政复议机关撤销原决定（当事人电话${SEEDED.phone}）`,
      alteredAt: timestampFromDate(new Date()),
    };
    const eventId = await publishEvent(sut.broker, Events.DecisionAltered, altered, { key: row.caseId, agencyId: AGENCY_A });
    await publishEvent(sut.broker, Events.DecisionAltered, altered, { key: row.caseId, agencyId: AGENCY_A, eventId });
    const withdrawn = await disclosureOf(row.caseId);
    expect(withdrawn.status).toBe('withdrawn');
    expect(withdrawn.withdrawalReason).toMatch(/^该行政处罚决定已被撤销：行政复议机关撤销原决定/);
    expect(withdrawn.withdrawalReason).not.toContain(SEEDED.phone);
    expect(Number(withdrawn.withdrawalDueAt?.getTime())).toBeGreaterThan(Number(withdrawn.withdrawnAt?.getTime()));
    expect(await outboxOf(Events.DisclosureWithdrawn, row.caseId)).toEqual([
      expect.objectContaining({ disclosureId: row.id, reason: withdrawn.withdrawalReason }),
    ]);
    const detail = await http()
      .get(`/disclosures/${row.id}`)
      .set(await auth(adminA))
      .expect(200);
    expect(detail.body.history.map((h: { action: string }) => h.action)).toEqual(['received', 'published', 'withdrawn']);
    expect(detail.body.published.decisionNumber).toBe(row.decisionNumber);
  });

  it('a decision altered before publication is cancelled, without an event', async () => {
    const row = await issue(decisionIssued({ agencyId: AGENCY_A }));
    await publishEvent(
      sut.broker,
      Events.DecisionAltered,
      {
        caseId: row.caseId,
        decisionNumber: '',
        kind: recordingV1.AlterationKind.CHANGED,
        reason: '变更',
        alteredAt: timestampFromDate(new Date()),
      },
      { key: row.caseId },
    );
    expect((await disclosureOf(row.caseId)).status).toBe('cancelled');
    expect(await outboxOf(Events.DisclosureWithdrawn, row.caseId)).toEqual([]);
  });

  it('a decision past its deadline is listed overdue and announced once (DisclosureOverdue)', async () => {
    const overdueBefore = await overdueGauge();
    const decidedAt = new Date(Date.now() - 30 * 86_400_000);
    const row = await issue(decisionIssued({ agencyId: AGENCY_A, decidedAt: timestampFromDate(decidedAt) }));
    expect(row.dueAt.getTime()).toBeLessThan(Date.now());
    // Overdue as soon as it is past its deadline, before the check job has announced it.
    expect(await overdueGauge()).toBe(overdueBefore + 1);
    const list = await http()
      .get('/disclosures?overdue=true')
      .set(await auth(adminA))
      .expect(200);
    expect(list.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: row.id, overdue: true })]));
    const service = sut.app.get(DisclosuresService);
    await service.announceOverdue();
    await service.announceOverdue();
    expect(await outboxOf(Events.DisclosureOverdue, row.caseId)).toEqual([expect.objectContaining({ agencyId: AGENCY_A })]);
    const late = await http()
      .post(`/disclosures/${row.id}/approval`)
      .set(await auth(adminA))
      .send({})
      .expect(200);
    expect(late.body.status).toBe('published');
    expect(await overdueGauge()).toBe(overdueBefore);
  });

  it('counts a waiting deadline again when recording loads its year (CalendarYearLoaded may come after the decision)', async () => {
    const row = await issue(decisionIssued({ agencyId: AGENCY_A, decidedAt: timestampFromDate(new Date('2031-03-03T10:00:00+08:00')) }));
    expect(row).toEqual(expect.objectContaining({ dueCoverage: 'weekdays-only', dueAt: new Date('2031-03-12T16:00:00Z') }));
    await publishEvent(
      sut.broker,
      Events.CalendarYearLoaded,
      {
        year: 2031,
        holidays: ['2031-01-01', '2031-01-02', '2031-01-03', '2031-03-05', ...[1, 2, 3, 4, 5, 6, 7].map((d) => `2031-10-0${d}`)],
        workingWeekendDays: [],
        source: '测试',
        loadedAt: timestampFromDate(new Date()),
      },
      { key: '2031' },
    );
    expect(await sut.app.get(DisclosuresService).refreshDeadlines()).toBeGreaterThanOrEqual(1);
    const moved = await disclosureOf(row.caseId);
    expect(moved).toEqual(expect.objectContaining({ dueCoverage: 'official', dueAt: new Date('2031-03-13T16:00:00Z') }));
  });

  it('supervisors list the overdue of their region, without the original text; the review itself stays the agency’s', async () => {
    const supervisor: AuthenticatedUser = {
      userId: randomUUID(),
      agencyId: randomUUID(),
      roles: ['supervisor'],
      supervisedRegionCode: '310000',
    };
    const elsewhere: AuthenticatedUser = { ...supervisor, userId: randomUUID(), supervisedRegionCode: '320000' };
    const row = await issue(leakyDecision(AGENCY_B));
    await dataSource.manager.update(DisclosureEntity, { id: row.id }, { dueAt: new Date(Date.now() - 1000) });
    const list = await http()
      .get('/disclosures?overdue=true')
      .set(await auth(supervisor))
      .expect(200);
    const item = (list.body.items as Array<Record<string, unknown>>).find((i) => i['id'] === row.id);
    expect(item).toEqual(expect.objectContaining({ overdue: true, agencyId: AGENCY_B }));
    expect(JSON.stringify(list.body)).not.toContain(SEEDED.residentId);
    const other = await http()
      .get('/disclosures?overdue=true')
      .set(await auth(elsewhere))
      .expect(200);
    expect(other.body.items.map((i: { id: string }) => i.id)).not.toContain(row.id);
    await http()
      .get(`/disclosures/${row.id}`)
      .set(await auth(supervisor))
      .expect(403);
    await http()
      .post(`/disclosures/${row.id}/approval`)
      .set(await auth(supervisor))
      .send({})
      .expect(403);
  });

  it('a published decision leaves the portal after its period', async () => {
    const row = await issue(decisionIssued({ agencyId: AGENCY_A }));
    await http()
      .post(`/disclosures/${row.id}/approval`)
      .set(await auth(adminA))
      .send({})
      .expect(200);
    const published = await disclosureOf(row.caseId);
    expect(Number(published.publicUntil?.getTime()) - Number(published.publishedAt?.getTime())).toBeGreaterThan(89 * 86_400_000); // a small fine: 3 months
    await sut.app.get(DisclosuresService).expire(new Date(Number(published.publicUntil?.getTime()) + 1));
    expect((await disclosureOf(row.caseId)).status).toBe('expired');
  });

  it('an agency’s own publication periods apply from then on (3 months by default, here 6); others’ are refused', async () => {
    const agency = randomUUID();
    const admin: AuthenticatedUser = { userId: randomUUID(), agencyId: agency, roles: ['agency-admin'] };
    const defaults = await http()
      .get(`/agencies/${agency}/publicity-settings`)
      .set(await auth(admin))
      .expect(200);
    expect(defaults.body).toEqual(expect.objectContaining({ shortMonths: 3, longMonths: 36, source: 'default' }));
    const settings = { shortMonths: 6, longMonths: 24, smallFinePersonFen: 100_000, smallFineOrganisationFen: 10_000_000 };
    await http()
      .put(`/agencies/${agency}/publicity-settings`)
      .set(await auth(admin))
      .send(settings)
      .expect(200);
    expect(
      (
        await http()
          .put(`/agencies/${agency}/publicity-settings`)
          .set(await auth(adminA))
          .send(settings)
          .expect(403)
      ).body.code,
    ).toBe('AGENCY_SCOPE');
    const invalid = await http()
      .put(`/agencies/${agency}/publicity-settings`)
      .set(await auth(admin))
      .send({ ...settings, shortMonths: 30 })
      .expect(400);
    expect(invalid.body.code).toBe('PUBLICATION_PERIODS_INVALID');
    await http()
      .put(`/agencies/${agency}/publicity-settings`)
      .set(await auth(admin))
      .send({ ...settings, longMonths: -1 })
      .expect(400);
    const row = await issue(decisionIssued({ agencyId: agency }));
    await http()
      .post(`/disclosures/${row.id}/approval`)
      .set(await auth(admin))
      .send({})
      .expect(200);
    const published = await disclosureOf(row.caseId);
    const months = (Number(published.publicUntil?.getTime()) - Number(published.publishedAt?.getTime())) / (30.4 * 86_400_000);
    expect(Math.round(months)).toBe(6);
  });

  it('a broken DecisionIssued goes to the dead letters', async () => {
    const caseId = randomUUID();
    await publishEvent(sut.broker, Events.DecisionIssued, decisionIssued({ caseId, agencyId: '', party: undefined }), { key: caseId });
    expect(await dataSource.manager.findOneBy(DisclosureEntity, { caseId })).toBeNull();
    const dead = await dataSource.manager.find(DeadLetterEntity);
    expect(dead.some((d) => d.eventType === Events.DecisionIssued.schema.typeName)).toBe(true);
  });
});
