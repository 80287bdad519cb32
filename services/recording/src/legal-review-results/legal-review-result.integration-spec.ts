import type { AuthenticatedUser } from '@enforcement/auth';
import { CertificateDirectoryService, KnownOfficerEntity } from '@enforcement/certificates';
import { decodeEnvelope, decodePayload, encodeEnvelope, Events, legalReviewV1, timestampFromDate } from '@enforcement/contracts';
import { OutboxEventEntity, outboxRowHeaders } from '@enforcement/events';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { eventually } from '@enforcement/testing';
import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { seedCertificates } from '../evidence/test-support/evidence-fixtures';
import { recordingService } from '../service';

const AGENCY = '3f1e0c1a-0000-4000-8000-0000000000d1';
const officer = (): AuthenticatedUser => ({ userId: randomUUID(), agencyId: AGENCY, roles: ['officer'] });
const [a, b] = [officer(), officer()];
/** Reviewers as the certificate read model knows them: qualified (the reviewer role), not qualified, of another agency. */
const REVIEWER = randomUUID();
const UNQUALIFIED = randomUUID();
const FOREIGN_REVIEWER = randomUUID();
const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const party = { kind: 'organisation', name: '上海某某食品有限公司', identifier: '91310101MA1FL1234C', contact: {} };

/**
 * The decision gate opens for exactly the proposal a review approved (Art. 58): the `legal-review` step's
 * DecisionProposed carries the snapshot and the proposal's digest; a ReviewConcluded about another proposal, or
 * naming none, changes nothing; a new notice after an approval needs review again.
 */
describe('legal-review results into the case (HTTP, events, MariaDB)', () => {
  let sut: ServiceUnderTest;
  const tokens = new Map<string, string>();
  const now = Date.now();
  const http = () => request(sut.app.getHttpServer() as App);
  const auth = async (user: AuthenticatedUser) => {
    let token = tokens.get(user.userId);
    if (token === undefined) {
      token = await sut.tokenFor(user);
      tokens.set(user.userId, token);
    }
    return `Bearer ${token}`;
  };
  const step = async (caseId: string, body: Record<string, unknown>) =>
    http()
      .post(`/cases/${caseId}/steps`)
      .set('authorization', await auth(a))
      .set(await sut.coOfficerProofs(b))
      .set(await sut.coOfficerProofs(b))
      .send({ place: '上海市黄浦区南京东路1号', coOfficerIds: [b.userId], ...body });
  const status = async (caseId: string) =>
    (
      await http()
        .get(`/cases/${caseId}`)
        .set('authorization', await auth(a))
    ).body.legalReviewStatus as string;

  async function conclude(
    caseId: string,
    outcome: legalReviewV1.ReviewOutcome,
    proposalDigest: string,
    collectiveDecisionRequired = false,
    possibleCrime = false,
    reviewer: string = REVIEWER,
  ): Promise<void> {
    const eventId = randomUUID();
    const payload = create(Events.ReviewConcluded.schema, {
      reviewId: randomUUID(),
      caseId,
      outcome,
      opinion: '事实清楚，证据确凿，适用依据正确，程序合法',
      reviewerOfficerId: reviewer,
      concludedAt: timestampFromDate(new Date()),
      proposalDigest,
      round: 1,
      collectiveDecisionRequired,
      possibleCrime,
    });
    const value = encodeEnvelope(Events.ReviewConcluded, payload, {
      eventId,
      occurredAt: new Date(),
      agencyId: AGENCY,
      actingUserId: reviewer,
      correlationId: eventId,
      causationId: '',
      partitionKey: caseId,
    });
    await sut.broker.publish([
      {
        topic: Events.ReviewConcluded.topic,
        key: caseId,
        value,
        headers: outboxRowHeaders({ eventId, eventType: Events.ReviewConcluded.schema.typeName }),
      },
    ]);
  }

  beforeAll(async () => {
    sut = await startServiceForTest(recordingService, { LOG_LEVEL: 'silent' });
    await seedCertificates(sut.app, [
      { officerId: a.userId, agencyId: AGENCY },
      { officerId: b.userId, agencyId: AGENCY },
    ]);
    await sut.app.get(CertificateDirectoryService).pollNow();
    const known = (id: string, agencyId: string, roles: KnownOfficerEntity['roles']): KnownOfficerEntity => ({
      id,
      agencyId,
      name: '法制审核人员',
      roles,
      supervisedRegionCode: null,
      rolesEventAt: new Date(),
      updatedAt: new Date(),
    });
    await sut.app
      .get(DataSource)
      .manager.insert(KnownOfficerEntity, [
        known(REVIEWER, AGENCY, ['officer', 'reviewer']),
        known(UNQUALIFIED, AGENCY, ['officer']),
        known(FOREIGN_REVIEWER, randomUUID(), ['officer', 'reviewer']),
      ]);
  });

  afterAll(() => sut?.close());

  it('proposes with a snapshot and a digest, opens the gate only for that digest, and closes it on a new notice', async () => {
    const opened = await http()
      .post('/cases')
      .set('authorization', await auth(a))
      .set(await sut.coOfficerProofs(b))
      .set(await sut.coOfficerProofs(b))
      .send({
        domain: 'market-regulation',
        regionCode: '310101',
        procedure: 'general',
        party,
        allegedViolation: '销售超过保质期的食品',
        legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
        coOfficerIds: [b.userId],
        // Opened before the steps below: none may be dated before the opening (Art. 47).
        occurredAt: iso(now - 60 * MINUTE),
      });
    expect(opened.status).toBe(201);
    const caseId = opened.body.id as string;
    const revocation = { penalties: [{ kind: 'licence-revocation' }, { kind: 'fine', amountFen: 30_000_000 }], facts: '销售过期食品' };
    expect((await step(caseId, { stepType: 'notice', occurredAt: iso(now - 30 * MINUTE), fields: revocation })).status).toBe(201);
    expect(await status(caseId)).toBe('required');
    // The notice goes out for the catalog to match (PenaltyNotified).
    const notified = await sut.app
      .get(DataSource)
      .manager.find(OutboxEventEntity, { where: { eventType: Events.PenaltyNotified.schema.typeName, partitionKey: caseId } });
    expect(notified.map((row) => decodePayload(Events.PenaltyNotified, decodeEnvelope(row.payload)))).toEqual([
      expect.objectContaining({ caseId, agencyId: AGENCY, domain: 'market-regulation', hearingHeld: false, flags: [], conditions: [] }),
    ]);
    const proposed = await step(caseId, {
      stepType: 'legal-review',
      occurredAt: iso(now - 20 * MINUTE),
      fields: {
        violationCode: 'FS-124',
        discretionBand: 'heavier',
        illegalGainsFen: 5_000_000,
        majorPublicInterest: true,
        conditions: ['food-safety'],
      },
    });
    expect(proposed.status).toBe(201);
    const digest = proposed.body.hash as string;

    const rows = await sut.app
      .get(DataSource)
      .manager.find(OutboxEventEntity, { where: { eventType: Events.DecisionProposed.schema.typeName, partitionKey: caseId } });
    expect(rows).toHaveLength(1);
    const event = decodePayload(Events.DecisionProposed, decodeEnvelope((rows[0] as OutboxEventEntity).payload));
    expect(event).toMatchObject({
      caseId,
      proposalDigest: digest,
      chainHead: digest,
      agencyId: AGENCY,
      caseNumber: opened.body.caseNumber,
      domain: 'market-regulation',
      regionCode: '310101',
      violationCode: 'FS-124',
      discretionBand: 'heavier',
      illegalGainsFen: 5_000_000n,
      flags: ['major-public-interest'],
      conditions: ['food-safety'],
      hearingHeld: false,
      proposedBy: a.userId,
    });
    expect(event.actingOfficerIds).toEqual(expect.arrayContaining([a.userId, b.userId]));
    // The case's record up to the proposal, in chain order: opening, notice, the proposal itself (the chain head).
    expect(event.records.map((r) => [r.sequence, r.stepType])).toEqual([
      [1, 'opening'],
      [2, 'notice'],
      [3, 'legal-review'],
    ]);
    expect(event.records.at(-1)?.hash).toBe(digest);
    expect(event.penalties.map((p) => [p.kind, p.amountFen])).toEqual([
      ['licence-revocation', 0n],
      ['fine', 30_000_000n],
    ]);

    await conclude(caseId, legalReviewV1.ReviewOutcome.APPROVED, 'f'.repeat(64));
    await conclude(caseId, legalReviewV1.ReviewOutcome.APPROVED, '');
    expect(await status(caseId)).toBe('requested');
    await conclude(caseId, legalReviewV1.ReviewOutcome.APPROVED, digest, true);
    expect(await status(caseId)).toBe('approved');
    const records = await http()
      .get(`/cases/${caseId}/records`)
      .set('authorization', await auth(a));
    const results = (records.body.items ?? records.body).filter((r: { stepType: string }) => r.stepType === 'legal-review-result');
    expect(results).toEqual([
      expect.objectContaining({
        fields: expect.objectContaining({ outcome: 'approved', proposalDigest: digest, round: 1, collectiveDecisionRequired: true }),
      }),
    ]);

    // The proposal changes: a new notice needs review again, and the old approval does not open the gate.
    expect(
      (
        await step(caseId, {
          stepType: 'notice',
          occurredAt: iso(now - 10 * MINUTE),
          fields: { ...revocation, facts: '销售过期食品，数量更正' },
        })
      ).status,
    ).toBe(201);
    expect(await status(caseId)).toBe('required');
    await conclude(caseId, legalReviewV1.ReviewOutcome.APPROVED, digest);
    expect(await status(caseId)).toBe('required');
  });

  it('holds the decision after a possible crime is found until the transfer, or the reasoned refusal to transfer, is recorded (Art. 27)', async () => {
    const DAY = 24 * 3_600_000;
    const late = { lateEntryReason: '案件纸质卷宗补录入系统' };
    const opened = await http()
      .post('/cases')
      .set('authorization', await auth(a))
      .set(await sut.coOfficerProofs(b))
      .set(await sut.coOfficerProofs(b))
      .send({
        domain: 'market-regulation',
        regionCode: '310101',
        procedure: 'general',
        party,
        allegedViolation: '销售超过保质期的食品',
        legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
        coOfficerIds: [b.userId],
        occurredAt: iso(now - 40 * DAY),
        ...late,
      });
    expect(opened.status).toBe(201);
    const caseId = opened.body.id as string;
    const small = { penalties: [{ kind: 'fine', amountFen: 50_000 }], facts: '销售过期食品' };
    expect((await step(caseId, { stepType: 'notice', occurredAt: iso(now - 30 * DAY), fields: small, ...late })).status).toBe(201);
    const proposed = await step(caseId, { stepType: 'legal-review', occurredAt: iso(now - 29 * DAY), ...late });
    expect(proposed.status).toBe(201);
    await conclude(caseId, legalReviewV1.ReviewOutcome.APPROVED, proposed.body.hash as string, false, true);
    expect(await status(caseId)).toBe('approved');
    const decision = {
      stepType: 'decision',
      occurredAt: iso(now - 10 * MINUTE),
      fields: { ...small, decisionNumber: '沪黄市监罚〔2026〕9号', partyPresent: true },
    };
    expect((await step(caseId, decision)).body).toMatchObject({
      code: 'JUDICIAL_TRANSFER_REQUIRED',
      details: { article: '《行政处罚法》第二十七条' },
    });
    const unreasoned = await step(caseId, {
      stepType: 'judicial-transfer',
      occurredAt: iso(now - 20 * MINUTE),
      fields: { transferred: false },
    });
    expect([unreasoned.status, unreasoned.body.code]).toEqual([400, 'JUDICIAL_TRANSFER_INVALID']);
    const declined = await step(caseId, {
      stepType: 'judicial-transfer',
      occurredAt: iso(now - 20 * MINUTE),
      fields: { transferred: false, reason: '经审查，违法所得未达到刑事立案追诉标准' },
    });
    expect(declined.status).toBe(201);
    expect((await step(caseId, decision)).status).toBe(201);
  });

  it('holds the decision of a case an agency head or a supervisor sent to review (ReviewDemanded)', async () => {
    const opened = await http()
      .post('/cases')
      .set('authorization', await auth(a))
      .set(await sut.coOfficerProofs(b))
      .set(await sut.coOfficerProofs(b))
      .send({
        domain: 'market-regulation',
        regionCode: '310101',
        procedure: 'general',
        party,
        allegedViolation: '销售超过保质期的食品',
        legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
        coOfficerIds: [b.userId],
      });
    const caseId = opened.body.id as string;
    expect(await status(caseId)).toBe('not-required');
    const eventId = randomUUID();
    const value = encodeEnvelope(
      Events.ReviewDemanded,
      create(Events.ReviewDemanded.schema, { caseId, agencyId: AGENCY, demandedBy: 'supervisor', reason: '案件涉及重大公共利益' }),
      {
        eventId,
        occurredAt: new Date(),
        agencyId: AGENCY,
        actingUserId: 'supervisor',
        correlationId: eventId,
        causationId: '',
        partitionKey: caseId,
      },
    );
    await sut.broker.publish([
      {
        topic: Events.ReviewDemanded.topic,
        key: caseId,
        value,
        headers: outboxRowHeaders({ eventId, eventType: Events.ReviewDemanded.schema.typeName }),
      },
    ]);
    expect(await status(caseId)).toBe('required');
    // The demand is a record of the chain (the status rests on it), and the case still verifies intact.
    const records = await http()
      .get(`/cases/${caseId}/records`)
      .set('authorization', await auth(a));
    const demands = (records.body.items ?? records.body).filter((r: { stepType: string }) => r.stepType === 'legal-review-demand');
    expect(demands).toEqual([
      expect.objectContaining({ recordedBy: 'supervisor', text: '案件涉及重大公共利益', fields: { demandedBy: 'supervisor' } }),
    ]);
    const verification = await http()
      .get(`/cases/${caseId}/verification`)
      .set('authorization', await auth(a));
    expect(verification.body).toMatchObject({ intact: true });
  });

  it('refuses a conclusion by a reviewer who is unknown, not qualified, or of another agency (Art. 58): dead-lettered, the gate shut', async () => {
    const opened = await http()
      .post('/cases')
      .set('authorization', await auth(a))
      .set(await sut.coOfficerProofs(b))
      .set(await sut.coOfficerProofs(b))
      .send({
        domain: 'market-regulation',
        regionCode: '310101',
        procedure: 'general',
        party,
        allegedViolation: '销售超过保质期的食品',
        legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
        coOfficerIds: [b.userId],
        occurredAt: iso(now - 60 * MINUTE),
      });
    const caseId = opened.body.id as string;
    const heavy = { penalties: [{ kind: 'licence-revocation' }], facts: '销售过期食品' };
    expect((await step(caseId, { stepType: 'notice', occurredAt: iso(now - 30 * MINUTE), fields: heavy })).status).toBe(201);
    const proposed = await step(caseId, { stepType: 'legal-review', occurredAt: iso(now - 20 * MINUTE) });
    const digest = proposed.body.hash as string;
    const dataSource = sut.app.get(DataSource);
    const deadLetters = async (): Promise<string[]> =>
      ((await dataSource.query('SELECT error FROM dead_letters WHERE partition_key = ?', [caseId])) as Array<{ error: string }>).map(
        (row) => row.error,
      );
    for (const reviewer of ['stand-in', UNQUALIFIED, FOREIGN_REVIEWER]) {
      await conclude(caseId, legalReviewV1.ReviewOutcome.APPROVED, digest, false, false, reviewer);
    }
    await eventually(async () => expect(await deadLetters()).toHaveLength(3), 30_000);
    for (const error of await deadLetters()) expect(error).toContain('REVIEWER_NOT_QUALIFIED');
    expect(await status(caseId)).toBe('requested');
    const results = await dataSource.query('SELECT id FROM case_records WHERE case_id = ? AND step_type = ?', [
      caseId,
      'legal-review-result',
    ]);
    expect(results).toHaveLength(0);
    // The qualified reviewer of the case's agency opens the gate for the same proposal.
    await conclude(caseId, legalReviewV1.ReviewOutcome.APPROVED, digest);
    expect(await status(caseId)).toBe('approved');
  }, 60_000);

  it("takes the agency's large amounts (Art. 63) from its published catalog, a newer version over an older one", async () => {
    const agencyId = randomUUID();
    const admin: AuthenticatedUser = { userId: randomUUID(), agencyId, roles: ['agency-admin'] };
    const publish = async (version: number, organisationFineFen: bigint) => {
      const eventId = randomUUID();
      const value = encodeEnvelope(
        Events.CatalogPublished,
        create(Events.CatalogPublished.schema, {
          agencyId,
          version,
          largeFineNaturalPersonFen: 500_000n,
          largeFineOrganisationFen: organisationFineFen,
          largeConfiscationNaturalPersonFen: 500_000n,
          largeConfiscationOrganisationFen: 5_000_000n,
          reviewWorkingDays: 5,
        }),
        {
          eventId,
          occurredAt: new Date(),
          agencyId,
          actingUserId: admin.userId,
          correlationId: eventId,
          causationId: '',
          partitionKey: agencyId,
        },
      );
      await sut.broker.publish([
        {
          topic: Events.CatalogPublished.topic,
          key: agencyId,
          value,
          headers: outboxRowHeaders({ eventId, eventType: Events.CatalogPublished.schema.typeName }),
        },
      ]);
    };
    await publish(2, 5_000_000n);
    await publish(1, 99_000_000n);
    const settings = await http()
      .get(`/agencies/${agencyId}/procedure-settings`)
      .set('authorization', await auth(admin))
      .expect(200);
    expect(settings.body).toMatchObject({
      largeFineFen: { 'natural-person': 500_000, organisation: 5_000_000 },
      largeConfiscationFen: { 'natural-person': 500_000, organisation: 5_000_000 },
    });
  });
});
