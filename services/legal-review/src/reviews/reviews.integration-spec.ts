import type { AuthenticatedUser } from '@enforcement/auth';
import { decodeEnvelope, decodePayload, Events, legalReviewV1, timestampFromDate, type EventDefinition } from '@enforcement/contracts';
import { DeadLetterEntity, OutboxEventEntity } from '@enforcement/events';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { createHash, randomUUID } from 'node:crypto';
import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import { PDFDocument } from 'pdf-lib';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { KnownAgencyEntity } from '../agencies/known-agency.entity';
import { REVIEW_ITEMS } from '../review-core/review';
import { legalReviewService } from '../service';
import {
  digestOf,
  proposal,
  publishCaseOpened,
  publishPenaltyNotified,
  publishProposal,
  seedOfficers,
} from '../test-support/legal-review-fixtures';
import { pdfText } from '../test-support/pdf-text';
import { ReviewsService } from './reviews.service';

const AGENCY_A = randomUUID();
const AGENCY_B = randomUUID();
const adminA: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY_A, roles: ['officer', 'agency-admin'] };
const adminB: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY_B, roles: ['officer', 'agency-admin'] };
const reviewer1: AuthenticatedUser = { userId: `a1-${randomUUID()}`, agencyId: AGENCY_A, roles: ['officer', 'reviewer'] };
const reviewer2: AuthenticatedUser = { userId: `a2-${randomUUID()}`, agencyId: AGENCY_A, roles: ['officer', 'reviewer'] };
/** A reviewer who handled the case under review. */
const handlingReviewer: AuthenticatedUser = { userId: `h-${randomUUID()}`, agencyId: AGENCY_A, roles: ['officer', 'reviewer'] };
/** A reviewer who chaired its hearing. */
const chairReviewer: AuthenticatedUser = { userId: `c-${randomUUID()}`, agencyId: AGENCY_A, roles: ['officer', 'reviewer'] };
/** The token says reviewer, the read model (qualification withdrawn) does not. */
const unqualified: AuthenticatedUser = { userId: `u-${randomUUID()}`, agencyId: AGENCY_A, roles: ['officer', 'reviewer'] };
const reviewerB: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY_B, roles: ['officer', 'reviewer'] };
const officerA: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY_A, roles: ['officer'] };
const supervisorShanghai: AuthenticatedUser = {
  userId: randomUUID(),
  agencyId: randomUUID(),
  roles: ['supervisor'],
  supervisedRegionCode: '310000',
};
const supervisorJiangsu: AuthenticatedUser = {
  userId: randomUUID(),
  agencyId: randomUUID(),
  roles: ['supervisor'],
  supervisedRegionCode: '320000',
};

const catalogA = {
  rules: [
    { id: 'R-LICENCE', title: '吊销许可证件', ground: 'law-named', penaltyKinds: ['licence-revocation'] },
    {
      id: 'R-FINE',
      title: '较大数额罚款',
      ground: 'law-named',
      minFineTotalFen: { organisation: 20_000_000, 'natural-person': 2_000_000 },
    },
  ],
  hearingThresholds: {
    largeFineFen: { 'natural-person': 1_000_000, organisation: 10_000_000 },
    largeConfiscationFen: { 'natural-person': 1_000_000, organisation: 10_000_000 },
  },
  collectiveDecisionConditions: [{ id: 'C-REVOKE', title: '吊销许可证件', penaltyKinds: ['licence-revocation'] }],
  note: '首次发布',
};

const benchmarkEntry = {
  description: '销售不合格产品',
  legalBasis: '《中华人民共和国产品质量法》第十三条',
  penaltyBasis: '《中华人民共和国产品质量法》第四十九条',
  bands: {
    lenient: { penaltyKinds: ['fine', 'confiscation'], fineGainsMultiple: { min: 0.5, max: 1 } },
    general: {
      penaltyKinds: ['fine', 'confiscation'],
      fineGainsMultiple: { min: 1, max: 2 },
      fineFen: { min: 1_000_000, max: 20_000_000 },
    },
    heavier: { penaltyKinds: ['fine', 'confiscation', 'licence-revocation'], fineGainsMultiple: { min: 2, max: 3 } },
  },
};

const allPass = () => REVIEW_ITEMS.map((item) => ({ item, result: 'pass' }));

describe('legal review over HTTP and events on MariaDB', () => {
  let sut: ServiceUnderTest;
  let dataSource: DataSource;
  const tokens = new Map<string, string>();
  const http = () => request(sut.app.getHttpServer() as App);
  /** The reviews_overdue gauge as /metrics reports it now. */
  const overdueGauge = async () =>
    Number(/^reviews_overdue\{service="legal-review"\} (\S+)$/m.exec((await http().get('/metrics').expect(200)).text)?.[1]);
  const auth = async (user: AuthenticatedUser) => {
    let token = tokens.get(user.userId);
    if (token === undefined) {
      token = await sut.tokenFor(user);
      tokens.set(user.userId, token);
    }
    return { authorization: `Bearer ${token}` };
  };

  async function outboxOf<D extends DescMessage>(definition: EventDefinition<D>, key?: string): Promise<Array<MessageShape<D>>> {
    const rows = await dataSource.manager.find(OutboxEventEntity, {
      where: { eventType: definition.schema.typeName },
      order: { id: 'ASC' },
    });
    return rows
      .filter((row) => key === undefined || row.partitionKey === key)
      .map((row) => decodePayload(definition, decodeEnvelope(row.payload)));
  }

  async function reviewOfCase(caseId: string, user: AuthenticatedUser = adminA) {
    const list = await http()
      .get('/reviews')
      .set(await auth(user))
      .expect(200);
    const found = (list.body.items as Array<{ id: string; caseId: string }>).find((item) => item.caseId === caseId);
    if (!found)
      throw new Error(`no review for case ${caseId}; dead letters: ${JSON.stringify(await dataSource.manager.find(DeadLetterEntity))}`);
    return (
      await http()
        .get(`/reviews/${found.id}`)
        .set(await auth(user))
        .expect(200)
    ).body;
  }

  beforeAll(async () => {
    sut = await startServiceForTest(legalReviewService, { REVIEW_OVERDUE_CHECK_INTERVAL_MS: '0' });
    dataSource = sut.app.get(DataSource);
    await dataSource.manager.insert(KnownAgencyEntity, {
      id: AGENCY_A,
      name: '上海市黄浦区市场监督管理局（测试）',
      regionCode: '310101',
      updatedAt: new Date(),
    });
    await seedOfficers(dataSource, [
      { id: adminA.userId, agencyId: AGENCY_A, roles: ['officer', 'agency-admin'], certified: true },
      { id: reviewer1.userId, agencyId: AGENCY_A, roles: ['officer', 'reviewer'], certified: true },
      { id: reviewer2.userId, agencyId: AGENCY_A, roles: ['officer', 'reviewer'], certified: true },
      { id: handlingReviewer.userId, agencyId: AGENCY_A, roles: ['officer', 'reviewer'], certified: true },
      { id: chairReviewer.userId, agencyId: AGENCY_A, roles: ['officer', 'reviewer'] },
      { id: unqualified.userId, agencyId: AGENCY_A, roles: ['officer'], certified: true },
      { id: officerA.userId, agencyId: AGENCY_A, roles: ['officer'], certified: true },
      { id: reviewerB.userId, agencyId: AGENCY_B, roles: ['officer', 'reviewer'], certified: true },
    ]);
  });

  afterAll(() => sut?.close());

  describe('the catalog', () => {
    it('is published in versions by the agency administrator, and announces its figures', async () => {
      const v1 = await http()
        .post(`/agencies/${AGENCY_A}/catalog/versions`)
        .set(await auth(adminA))
        .send(catalogA)
        .expect(201);
      expect(v1.body).toMatchObject({ agencyId: AGENCY_A, version: 1, note: '首次发布', content: { reviewWorkingDays: 5 } });
      const v2 = await http()
        .post(`/agencies/${AGENCY_A}/catalog/versions`)
        .set(await auth(adminA))
        .send({ ...catalogA, reviewWorkingDays: 5, note: '罚款标准调整' })
        .expect(201);
      expect(v2.body.version).toBe(2);
      expect(
        (
          await http()
            .get(`/agencies/${AGENCY_A}/catalog`)
            .set(await auth(officerA))
            .expect(200)
        ).body.version,
      ).toBe(2);
      const versions = await http()
        .get(`/agencies/${AGENCY_A}/catalog/versions`)
        .set(await auth(officerA))
        .expect(200);
      expect(versions.body.map((v: { version: number; rules: number }) => [v.version, v.rules])).toEqual([
        [2, 2],
        [1, 2],
      ]);
      const published = await outboxOf(Events.CatalogPublished, AGENCY_A);
      expect(published.map((event) => event.version)).toEqual([1, 2]);
      expect(published[0]).toMatchObject({
        largeFineOrganisationFen: 10_000_000n,
        collectiveDecisionConditions: [expect.objectContaining({ id: 'C-REVOKE', penaltyKinds: ['licence-revocation'] })],
      });
    });

    it('refuses other agencies, other roles and bad catalogs, writing nothing', async () => {
      expect(
        (
          await http()
            .post(`/agencies/${AGENCY_A}/catalog/versions`)
            .set(await auth(adminB))
            .send(catalogA)
            .expect(403)
        ).body.code,
      ).toBe('AGENCY_SCOPE');
      expect(
        (
          await http()
            .post(`/agencies/${AGENCY_A}/catalog/versions`)
            .set(await auth(officerA))
            .send(catalogA)
            .expect(403)
        ).body.code,
      ).toBe('ROLE_REQUIRED');
      const empty = { ...catalogA, rules: [{ id: 'X', title: '无条件', ground: 'law-named' }] };
      const refused = await http()
        .post(`/agencies/${AGENCY_A}/catalog/versions`)
        .set(await auth(adminA))
        .send(empty)
        .expect(422);
      expect(refused.body).toMatchObject({
        code: 'CATALOG_INVALID',
        message: expect.stringMatching(/目录清单/),
        details: { problems: [{ field: 'rules[0]' }] },
      });
      const malformed = { ...catalogA, rules: [{ id: 'X', title: 'x', ground: 'law-named', penaltyKinds: ['beheading'] }] };
      expect(
        (
          await http()
            .post(`/agencies/${AGENCY_A}/catalog/versions`)
            .set(await auth(adminA))
            .send(malformed)
            .expect(400)
        ).body.code,
      ).toBe('VALIDATION_FAILED');
      expect(
        (
          await http()
            .get(`/agencies/${AGENCY_A}/catalog/versions/9`)
            .set(await auth(officerA))
            .expect(404)
        ).body.code,
      ).toBe('CATALOG_VERSION_NOT_FOUND');
      expect(
        (
          await http()
            .get(`/agencies/${AGENCY_A}/catalog`)
            .set(await auth(officerA))
            .expect(200)
        ).body.version,
      ).toBe(2);
    });
  });

  describe('the discretion benchmark', () => {
    it('is kept by the administrator and checks a penalty against a band, multiples of illegal gains included', async () => {
      await http()
        .put(`/agencies/${AGENCY_A}/discretion-benchmark/PQ-49`)
        .set(await auth(adminA))
        .send(benchmarkEntry)
        .expect(200);
      expect(
        (
          await http()
            .put(`/agencies/${AGENCY_A}/discretion-benchmark/PQ-49`)
            .set(await auth(adminB))
            .send(benchmarkEntry)
            .expect(403)
        ).body.code,
      ).toBe('AGENCY_SCOPE');
      const headers = await auth(officerA);
      const inBand = await http()
        .post(`/agencies/${AGENCY_A}/discretion-benchmark/PQ-49/checks`)
        .set(headers)
        .send({ band: 'general', illegalGainsFen: 5_000_000, penalties: [{ kind: 'fine', amountFen: 8_000_000 }] })
        .expect(200);
      expect(inBand.body).toMatchObject({ inBand: true, fineRangeFen: { min: 5_000_000, max: 10_000_000 } });
      const outside = await http()
        .post(`/agencies/${AGENCY_A}/discretion-benchmark/PQ-49/checks`)
        .set(headers)
        .send({ band: 'general', illegalGainsFen: 5_000_000, penalties: [{ kind: 'fine', amountFen: 12_000_000 }] })
        .expect(422);
      expect(outside.body).toMatchObject({ code: 'OUT_OF_BAND_REASON_REQUIRED', details: { findings: [{ code: 'FINE_ABOVE_BAND' }] } });
      const reasoned = await http()
        .post(`/agencies/${AGENCY_A}/discretion-benchmark/PQ-49/checks`)
        .set(headers)
        .send({
          band: 'general',
          illegalGainsFen: 5_000_000,
          penalties: [{ kind: 'fine', amountFen: 12_000_000 }],
          outOfBandReason: '多次违法，拒不改正',
        })
        .expect(200);
      expect(reasoned.body).toMatchObject({ inBand: false, reviewRequired: true, outOfBandReason: '多次违法，拒不改正' });
      const bad = { ...benchmarkEntry, bands: { general: { penaltyKinds: ['warning'], fineFen: { min: 10, max: 5 } } } };
      expect(
        (
          await http()
            .put(`/agencies/${AGENCY_A}/discretion-benchmark/PQ-50`)
            .set(await auth(adminA))
            .send(bad)
            .expect(422)
        ).body.code,
      ).toBe('BENCHMARK_INVALID');
      expect((await http().get(`/agencies/${AGENCY_A}/discretion-benchmark/PQ-50`).set(headers).expect(404)).body.code).toBe(
        'BENCHMARK_ENTRY_NOT_FOUND',
      );
    });
  });

  describe('reviews', () => {
    const caseA = randomUUID();

    it('opens a review from a proposal, with the catalog version, the matches, the discretion computation and a deadline over the Spring Festival', async () => {
      await publishProposal(
        sut.broker,
        proposal({
          caseId: caseA,
          agencyId: AGENCY_A,
          penalties: [{ kind: 'fine', amountFen: 25_000_000n, description: '罚款' }],
          handlingOfficerIds: [handlingReviewer.userId, officerA.userId],
          actingOfficerIds: [handlingReviewer.userId, officerA.userId],
          hearingChairOfficerIds: [chairReviewer.userId],
          hearingHeld: true,
          violationCode: 'PQ-49',
          discretionBand: 'general',
          illegalGainsFen: 10_000_000n,
          proposedAt: timestampFromDate(new Date('2026-02-12T10:00:00+08:00')),
        }),
      );
      const review = await reviewOfCase(caseA);
      expect(review).toMatchObject({ status: 'pending', round: 1, dueAt: '2026-02-26T16:00:00.000Z', regionCode: '310101' });
      expect(review.rounds[0]).toMatchObject({
        number: 1,
        catalogVersion: 2,
        proposalDigest: digestOf(`${caseA}:1`),
        snapshot: { caseId: caseA, hearingHeld: true, evidence: [expect.objectContaining({ mediaType: 'video/mp4' })] },
        evaluation: {
          catalog: { reviewRequired: true, matches: [expect.objectContaining({ ruleId: 'R-FINE' })], hearing: { available: true } },
          discretion: { inBand: false, fineRangeFen: { min: 10_000_000, max: 20_000_000 }, findings: [{ code: 'FINE_ABOVE_BAND' }] },
        },
      });
      const requested = await outboxOf(Events.ReviewRequested, caseA);
      expect(requested).toEqual([
        expect.objectContaining({
          caseId: caseA,
          round: 1,
          catalogVersion: 2,
          catalogRequiresReview: true,
          catalogEntryIds: ['R-FINE'],
          proposalDigest: digestOf(`${caseA}:1`),
        }),
      ]);
      // A redelivered proposal changes nothing.
      await publishProposal(
        sut.broker,
        proposal({ caseId: caseA, agencyId: AGENCY_A, proposedAt: timestampFromDate(new Date('2026-02-12T10:00:00+08:00')) }),
      );
      expect((await reviewOfCase(caseA)).rounds).toHaveLength(1);
    });

    it('refuses a reviewer who handled the case or chaired its hearing (REVIEWER_CONFLICT) and one without qualification', async () => {
      const { id } = await reviewOfCase(caseA);
      const conflict = await http()
        .post(`/reviews/${id}/claim`)
        .set(await auth(handlingReviewer))
        .expect(422);
      expect(conflict.body).toMatchObject({
        code: 'REVIEWER_CONFLICT',
        message: expect.stringMatching(/办理/),
        details: { role: 'case-handling' },
      });
      expect(
        (
          await http()
            .post(`/reviews/${id}/claim`)
            .set(await auth(chairReviewer))
            .expect(422)
        ).body,
      ).toMatchObject({
        code: 'REVIEWER_CONFLICT',
        details: { role: 'hearing-chair', article: '《行政处罚法》第六十四条' },
      });
      expect(
        (
          await http()
            .post(`/reviews/${id}/claim`)
            .set(await auth(unqualified))
            .expect(422)
        ).body.code,
      ).toBe('REVIEWER_NOT_QUALIFIED');
      expect(
        (
          await http()
            .post(`/reviews/${id}/claim`)
            .set(await auth(officerA))
            .expect(403)
        ).body.code,
      ).toBe('ROLE_REQUIRED');
      expect(
        (
          await http()
            .post(`/reviews/${id}/claim`)
            .set(await auth(reviewerB))
            .expect(403)
        ).body.code,
      ).toBe('REVIEW_SCOPE');
      const named = await http()
        .post(`/reviews/${id}/assignment`)
        .set(await auth(adminA))
        .send({ reviewerOfficerId: unqualified.userId })
        .expect(422);
      expect(named.body.code).toBe('REVIEWER_NOT_QUALIFIED');
      expect((await reviewOfCase(caseA)).status).toBe('pending');
    });

    it('assigns the least loaded eligible reviewer, and shows the workload', async () => {
      const { id } = await reviewOfCase(caseA);
      const assigned = await http()
        .post(`/reviews/${id}/assignment`)
        .set(await auth(adminA))
        .send({})
        .expect(200);
      expect(assigned.body).toMatchObject({ status: 'assigned', reviewerOfficerId: reviewer1.userId });
      const workload = await http()
        .get(`/agencies/${AGENCY_A}/review-workload`)
        .set(await auth(adminA))
        .expect(200);
      expect(workload.body.reviewers).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ officerId: reviewer1.userId, openReviews: 1 }),
          expect.objectContaining({ officerId: reviewer2.userId, openReviews: 0 }),
        ]),
      );
      expect(
        (
          await http()
            .get(`/agencies/${AGENCY_A}/review-workload`)
            .set(await auth(reviewerB))
            .expect(403)
        ).body.code,
      ).toBe('REVIEW_SCOPE');
    });

    it('refuses an approval of an out-of-band penalty without reason; a return opens round 2 on resubmission, approved there', async () => {
      const { id } = await reviewOfCase(caseA);
      const refused = await http()
        .post(`/reviews/${id}/conclusion`)
        .set(await auth(reviewer1))
        .send({ outcome: 'approved', items: allPass(), opinion: '同意' })
        .expect(422);
      expect(refused.body.code).toBe('OUT_OF_BAND_REASON_REQUIRED');
      const incomplete = await http()
        .post(`/reviews/${id}/conclusion`)
        .set(await auth(reviewer1))
        .send({ outcome: 'returned', items: allPass().slice(1), opinion: '退回' })
        .expect(400);
      expect(incomplete.body.code).toBe('REVIEW_ITEMS_INCOMPLETE');
      expect(
        (
          await http()
            .post(`/reviews/${id}/conclusion`)
            .set(await auth(reviewer2))
            .send({ outcome: 'approved', items: allPass(), opinion: '同意' })
            .expect(409)
        ).body.code,
      ).toBe('REVIEW_NOT_ASSIGNED');
      const returned = await http()
        .post(`/reviews/${id}/conclusion`)
        .set(await auth(reviewer1))
        .send({
          outcome: 'returned',
          items: allPass().map((finding) =>
            finding.item === 'law-and-discretion' ? { ...finding, result: 'problem', comment: '罚款超出裁量基准且未说明理由' } : finding,
          ),
          opinion: '退回补正',
        })
        .expect(200);
      expect(returned.body).toMatchObject({ status: 'returned', rounds: [{ outcome: 'returned' }] });

      await publishProposal(
        sut.broker,
        proposal({
          caseId: caseA,
          agencyId: AGENCY_A,
          proposalDigest: digestOf(`${caseA}:2`),
          penalties: [{ kind: 'fine', amountFen: 15_000_000n, description: '罚款' }],
          handlingOfficerIds: [handlingReviewer.userId, officerA.userId],
          violationCode: 'PQ-49',
          discretionBand: 'general',
          illegalGainsFen: 10_000_000n,
        }),
      );
      const round2 = await reviewOfCase(caseA);
      expect(round2).toMatchObject({ status: 'assigned', round: 2, reviewerOfficerId: reviewer1.userId });
      expect(round2.rounds.map((round: { number: number; outcome: string | null }) => [round.number, round.outcome])).toEqual([
        [1, 'returned'],
        [2, null],
      ]);
      expect(round2.rounds[1].evaluation.discretion).toMatchObject({ inBand: true });
      await http()
        .post(`/reviews/${id}/conclusion`)
        .set(await auth(reviewer1))
        .send({ outcome: 'approved', items: allPass(), opinion: '同意' })
        .expect(200);
      const concluded = await outboxOf(Events.ReviewConcluded, caseA);
      expect(concluded.map((event) => [event.outcome, event.round, event.proposalDigest])).toEqual([
        [legalReviewV1.ReviewOutcome.RETURNED, 1, digestOf(`${caseA}:1`)],
        [legalReviewV1.ReviewOutcome.APPROVED, 2, digestOf(`${caseA}:2`)],
      ]);
      // The written opinion of each round: a PDF in object storage whose digest went out with the conclusion.
      const approved = concluded[1] as legalReviewV1.ReviewConcluded;
      // Fines alone: the catalog's Art. 57 condition (a licence revocation) does not call for a collective decision.
      expect(approved.collectiveDecisionRequired).toBe(false);
      expect(approved.opinionSha256).toMatch(/^[0-9a-f]{64}$/);
      const pdf = await http()
        .get(`/reviews/${id}/rounds/2/opinion`)
        .set(await auth(supervisorShanghai))
        .buffer(true)
        .parse((response, callback) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => callback(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      const bytes = pdf.body as Buffer;
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(approved.opinionSha256);
      expect((await PDFDocument.load(bytes)).getPageCount()).toBeGreaterThanOrEqual(1);
      const text = pdfText(bytes).join('');
      expect(text).toContain('上海市黄浦区市场监督管理局（测试）');
      expect(text).toContain(`案件编号：沪黄市监案〔2026〕${caseA.slice(0, 6)}号`);
      expect(text).toContain('审核结论：同意');
      expect(text).toContain('审核轮次：第2轮');
      expect(
        (
          await http()
            .get(`/reviews/${id}/rounds/2/opinion`)
            .set(await auth(reviewerB))
            .expect(403)
        ).body.code,
      ).toBe('REVIEW_SCOPE');
      expect(
        (
          await http()
            .get(`/reviews/${id}/rounds/9/opinion`)
            .set(await auth(adminA))
            .expect(404)
        ).body.code,
      ).toBe('OPINION_NOT_FOUND');
      expect(await outboxOf(Events.ReviewAssigned, caseA)).toHaveLength(2);
    });

    it('shows an agency its own reviews only, supervisors their region', async () => {
      const caseB = randomUUID();
      await publishProposal(sut.broker, proposal({ caseId: caseB, agencyId: AGENCY_B, regionCode: '320102' }));
      const { id: reviewOfA } = await reviewOfCase(caseA);
      const seen = async (user: AuthenticatedUser) =>
        (
          (
            await http()
              .get('/reviews')
              .set(await auth(user))
              .expect(200)
          ).body.items as Array<{ caseId: string }>
        ).map((item) => item.caseId);
      expect(await seen(reviewerB)).toEqual([caseB]);
      expect(await seen(reviewer2)).toEqual([caseA]);
      expect(await seen(supervisorShanghai)).toEqual([caseA]);
      expect(await seen(supervisorJiangsu)).toEqual([caseB]);
      expect(
        (
          await http()
            .get(`/reviews/${reviewOfA}`)
            .set(await auth(reviewerB))
            .expect(403)
        ).body.code,
      ).toBe('REVIEW_SCOPE');
      expect(
        (
          await http()
            .get(`/reviews/${reviewOfA}`)
            .set(await auth(supervisorJiangsu))
            .expect(403)
        ).body.code,
      ).toBe('REVIEW_SCOPE');
      expect(
        (
          await http()
            .get(`/reviews/${reviewOfA}`)
            .set(await auth(supervisorShanghai))
            .expect(200)
        ).body.caseId,
      ).toBe(caseA);
      expect(
        (
          await http()
            .get('/reviews')
            .set(await auth(officerA))
            .expect(403)
        ).body.code,
      ).toBe('REVIEW_SCOPE');
      expect(
        (
          await http()
            .get(`/reviews?agencyId=${AGENCY_A}`)
            .set(await auth(reviewerB))
            .expect(403)
        ).body.code,
      ).toBe('REVIEW_SCOPE');
      expect(
        (
          await http()
            .post(`/reviews/${reviewOfA}/assignment`)
            .set(await auth(adminB))
            .send({})
            .expect(403)
        ).body.code,
      ).toBe('REVIEW_SCOPE');
    });

    it('announces an overdue review once, lists it for supervisors, and an extension needs a reason', async () => {
      const overdueBefore = await overdueGauge();
      const late = randomUUID();
      await publishProposal(
        sut.broker,
        proposal({ caseId: late, agencyId: AGENCY_A, proposedAt: timestampFromDate(new Date('2026-01-05T10:00:00+08:00')) }),
      );
      const { id } = await reviewOfCase(late);
      expect(await overdueGauge()).toBe(overdueBefore + 1);
      expect(await sut.app.get(ReviewsService).announceOverdue(new Date())).toBeGreaterThanOrEqual(1);
      expect(await sut.app.get(ReviewsService).announceOverdue(new Date())).toBe(0);
      expect(await outboxOf(Events.ReviewOverdue, late)).toEqual([expect.objectContaining({ reviewId: id, agencyId: AGENCY_A, round: 1 })]);
      const overdue = await http()
        .get('/reviews?overdue=true')
        .set(await auth(supervisorShanghai))
        .expect(200);
      expect(overdue.body.items.map((item: { caseId: string }) => item.caseId)).toContain(late);
      expect(overdue.body.items.every((item: { overdue: boolean }) => item.overdue)).toBe(true);
      expect(
        (
          await http()
            .post(`/reviews/${id}/extensions`)
            .set(await auth(adminA))
            .send({ workingDays: 2, reason: '' })
            .expect(400)
        ).body.code,
      ).toBe('VALIDATION_FAILED');
      const extended = await http()
        .post(`/reviews/${id}/extensions`)
        .set(await auth(adminA))
        .send({ workingDays: 2, reason: '需补充鉴定' })
        .expect(200);
      expect(extended.body.rounds[0].extensions).toEqual([expect.objectContaining({ workingDays: 2, reason: '需补充鉴定' })]);
    });

    it('lets the agency head or a supervisor of the region send any case to review, and nobody else', async () => {
      const caseId = randomUUID();
      await publishCaseOpened(sut.broker, caseId, AGENCY_A, '310101');
      const demand = (user: AuthenticatedUser, reason = '案件涉及重大公共利益') =>
        auth(user).then((headers) => http().post(`/cases/${caseId}/review-demands`).set(headers).send({ reason }));
      expect((await demand(adminB)).body.code).toBe('REVIEW_SCOPE');
      expect((await demand(supervisorJiangsu)).body.code).toBe('REVIEW_SCOPE');
      expect((await demand(officerA)).body.code).toBe('ROLE_REQUIRED');
      expect((await demand(adminA, '')).body.code).toBe('VALIDATION_FAILED');
      const unknown = await http()
        .post(`/cases/${randomUUID()}/review-demands`)
        .set(await auth(adminA))
        .send({ reason: '理由充分' });
      expect([unknown.status, unknown.body.code]).toEqual([404, 'CASE_NOT_FOUND']);
      expect(await outboxOf(Events.ReviewDemanded, caseId)).toEqual([]);
      expect((await demand(adminA)).status).toBe(202);
      expect((await demand(supervisorShanghai, '群众举报较多')).status).toBe(202);
      expect((await outboxOf(Events.ReviewDemanded, caseId)).map((event) => [event.demandedBy, event.reason, event.agencyId])).toEqual([
        [adminA.userId, '案件涉及重大公共利益', AGENCY_A],
        [supervisorShanghai.userId, '群众举报较多', AGENCY_A],
      ]);
    });

    it('sends a case to review when its notified penalty matches the catalog, whoever proposes', async () => {
      const named = randomUUID();
      const minor = randomUUID();
      await publishPenaltyNotified(sut.broker, {
        caseId: named,
        agencyId: AGENCY_A,
        penalties: [{ kind: 'licence-revocation', amountFen: 0n, description: '' }],
      });
      await publishPenaltyNotified(sut.broker, {
        caseId: minor,
        agencyId: AGENCY_A,
        penalties: [{ kind: 'warning', amountFen: 0n, description: '' }],
      });
      const demanded = await outboxOf(Events.ReviewDemanded, named);
      expect(demanded).toEqual([
        expect.objectContaining({
          caseId: named,
          agencyId: AGENCY_A,
          demandedBy: 'catalog:v2',
          reason: expect.stringContaining('R-LICENCE'),
        }),
      ]);
      expect(await outboxOf(Events.ReviewDemanded, minor)).toEqual([]);
    });

    it('reports staffing against 5% of enforcement officers, and reviews per reviewer in the month', async () => {
      const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
      const staffing = await http()
        .get(`/agencies/${AGENCY_A}/review-staffing?month=${month}`)
        .set(await auth(supervisorShanghai))
        .expect(200);
      expect(staffing.body).toMatchObject({
        enforcementOfficers: 6,
        reviewers: 4,
        requiredReviewers: 1,
        meetsGuideline: true,
        reviewsConcluded: 2,
      });
      // Supervisors see the agencies of their division only (AGENCY_A is in Shanghai's 310101).
      for (const path of [`/agencies/${AGENCY_A}/review-staffing?month=${month}`, `/agencies/${AGENCY_A}/review-workload`]) {
        const elsewhere = await http()
          .get(path)
          .set(await auth(supervisorJiangsu));
        expect([path, elsewhere.status, elsewhere.body.code]).toEqual([path, 403, 'REVIEW_SCOPE']);
      }
      expect(
        (
          await http()
            .get(`/agencies/${AGENCY_A}/review-staffing?month=2026-13`)
            .set(await auth(supervisorShanghai))
            .expect(400)
        ).body.code,
      ).toBe('VALIDATION_FAILED');
    });
  });
});
