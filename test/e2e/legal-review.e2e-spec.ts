import type { AuthenticatedUser } from '@enforcement/auth';
import { startDistributed, type DistributedPlatform } from '../support/distributed';
import { call, coOfficerProofs, untilRecordingKnowsCertificates, type JsonResponse } from '../support/http';
import { eventually } from '../support/processes';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const sysadmin: AuthenticatedUser = { userId: 'e2e-sysadmin', agencyId: '', roles: ['system-admin'] };
const allPass = () =>
  [
    'enforcing-body',
    'officer-qualification',
    'procedure',
    'facts-and-evidence',
    'law-and-discretion',
    'within-powers',
    'documents',
    'possible-crime',
  ].map((item) => ({ item, result: 'pass' }));

/**
 * Legal review across services over Kafka on MariaDB (Art. 58): recording proposes, legal-review evaluates the
 * agency's catalog, a qualified reviewer who did not act in the case reviews it, and recording's decision gate opens
 * for exactly the proposal approved: a returned case is resubmitted and approved in round 2, a changed proposal is
 * refused again until it too is approved.
 */
describe('legal review of a major decision (distributed)', () => {
  let platform: DistributedPlatform;
  let recording: string;
  let legalReview: string;
  let agencyId: string;
  /** A POST with the own fresh token of each co-officer the body names (Art. 42: every acting officer confirms). */
  const act = async (method: string, url: string, token: string, body: unknown): Promise<JsonResponse> =>
    call(method, url, token, body, await coOfficerProofs(platform, agencyId, body));
  let adminToken: string;
  const officers: Record<'a' | 'b' | 'reviewer', { id: string; token: string }> = {} as never;
  let caseId: string;
  let reviewId: string;
  const now = Date.now();
  const openedAt = now - 40 * DAY;
  const lateEntryReason = '案件纸质卷宗补录入系统';
  const firstProposal = { penalties: [{ kind: 'fine', amountFen: 25_000_000 }], facts: '销售过期食品，货值金额较大' };
  const changedProposal = { penalties: [{ kind: 'fine', amountFen: 22_000_000 }], facts: '销售过期食品，货值金额较大' };

  const step = (body: Record<string, unknown>): Promise<JsonResponse> =>
    act('POST', `${recording}/cases/${caseId}/steps`, officers.a.token, {
      place: '上海市黄浦区南京东路1号',
      lateEntryReason,
      coOfficerIds: [officers.b.id],
      ...body,
    });
  const reviewStatus = async (): Promise<string> =>
    (await call('GET', `${recording}/cases/${caseId}`, officers.a.token)).body['legalReviewStatus'] as string;
  const awaitStatus = (status: string) =>
    eventually(async () => ((await reviewStatus()) === status ? true : undefined), 60_000, `legal review ${status} in recording`);
  const review = async () => (await call('GET', `${legalReview}/reviews/${reviewId}`, officers.reviewer.token)).body;
  const awaitRound = (round: number) =>
    eventually(
      async () => {
        const current = await review();
        return current['round'] === round ? current : undefined;
      },
      60_000,
      `review round ${round}`,
    );

  beforeAll(async () => {
    platform = await startDistributed(['certificates', 'recording', 'legal-review']);
    recording = platform.urls['recording'];
    legalReview = platform.urls['legal-review'];
    const certificates = platform.urls['certificates'];
    const admin = await platform.sign(sysadmin);
    const agency = await call('POST', `${certificates}/agencies`, admin, {
      name: '上海市黄浦区市场监督管理局',
      creditCode: '11310101MB2F00009Y',
      regionCode: '310101',
      domains: ['market-regulation'],
      legalBasis: '《中华人民共和国行政处罚法》',
    });
    expect(agency.status).toBe(201);
    agencyId = agency.body['id'] as string;
    const idNumbers = { a: '11010519491231002X', b: '440524188001010014', reviewer: '110105194912310038' };
    for (const [key, idNumber] of Object.entries(idNumbers) as Array<['a' | 'b' | 'reviewer', string]>) {
      const officer = await call('POST', `${certificates}/agencies/${agencyId}/officers`, admin, {
        name: `人员${key}`,
        idNumber,
        roles: ['officer'],
      });
      expect(officer.status).toBe(201);
      const id = officer.body['id'] as string;
      const certificate = await call('POST', `${certificates}/officers/${id}/certificates`, admin, {
        number: `SH-LR-${key}`,
        issuingAuthority: '上海市人民政府',
        domains: ['market-regulation'],
        regionCodes: ['310101'],
        validFrom: '2020-01-01',
        validUntil: '2035-12-31',
      });
      expect(certificate.status).toBe(201);
      const roles: AuthenticatedUser['roles'] = ['officer'];
      // b is qualified too, but acts in the case: a conflict. The reviewer is qualified and stays out of it.
      if (key !== 'a') {
        const qualified = await call('POST', `${certificates}/officers/${id}/review-qualification`, admin, {
          qualificationNumber: `A2019-${key}-0001`,
          qualifiedOn: '2019-03-01',
        });
        expect(qualified.status).toBeLessThan(300);
        expect((await call('PUT', `${certificates}/officers/${id}/roles`, admin, { roles: ['officer', 'reviewer'] })).status).toBeLessThan(
          300,
        );
        roles.push('reviewer');
      }
      officers[key] = { id, token: await platform.sign({ userId: id, agencyId, roles }) };
    }
    adminToken = await platform.sign({ userId: 'e2e-agency-admin', agencyId, roles: ['agency-admin'] });
    await untilRecordingKnowsCertificates(recording, { domain: 'market-regulation', regionCode: '310101' }, officers);
  }, 240_000);

  afterAll(() => platform?.stop());

  it('publishes the agency catalog, whose large amounts recording takes', async () => {
    const published = await call('POST', `${legalReview}/agencies/${agencyId}/catalog/versions`, adminToken, {
      rules: [
        {
          id: 'R-FINE',
          title: '较大数额罚款',
          ground: 'law-named',
          minFineTotalFen: { organisation: 20_000_000, 'natural-person': 2_000_000 },
        },
        { id: 'R-LICENCE', title: '吊销许可证件', ground: 'law-named', penaltyKinds: ['licence-revocation'] },
        { id: 'R-PUBLIC', title: '涉及重大公共利益', ground: 'major-public-interest', flags: ['major-public-interest'] },
      ],
      hearingThresholds: {
        largeFineFen: { 'natural-person': 1_000_000, organisation: 20_000_000 },
        largeConfiscationFen: { 'natural-person': 1_000_000, organisation: 20_000_000 },
      },
      collectiveDecisionConditions: [],
    });
    expect(published.status).toBe(201);
    await eventually(
      async () => {
        const settings = await call('GET', `${recording}/agencies/${agencyId}/procedure-settings`, adminToken);
        return (settings.body['largeFineFen'] as Record<string, number> | undefined)?.['organisation'] === 20_000_000 ? true : undefined;
      },
      60_000,
      'the catalog large amounts in recording',
    );
  });

  it('keeps a decision whose proposal matches the catalog shut until review', async () => {
    const opened = await act('POST', `${recording}/cases`, officers.a.token, {
      domain: 'market-regulation',
      regionCode: '310101',
      procedure: 'general',
      party: { kind: 'organisation', name: '上海某某食品有限公司', identifier: '91310101MA1FL1234C', contact: {} },
      allegedViolation: '销售超过保质期的食品',
      legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
      coOfficerIds: [officers.b.id],
      occurredAt: iso(openedAt),
      lateEntryReason,
    });
    expect(opened.status).toBe(201);
    caseId = opened.body['id'] as string;
    expect((await step({ stepType: 'notice', occurredAt: iso(now - 30 * DAY), fields: firstProposal })).status).toBe(201);
    expect((await step({ stepType: 'decision', occurredAt: iso(now - HOUR), fields: firstProposal })).body.code).toBe(
      'LEGAL_REVIEW_REQUIRED',
    );
    const proposed = await step({ stepType: 'legal-review', occurredAt: iso(now - 29 * DAY) });
    expect(proposed.status).toBe(201);

    const listed = await eventually(
      async () => {
        const list = await call('GET', `${legalReview}/reviews`, officers.reviewer.token);
        return (list.body['items'] as Array<{ id: string; caseId: string }> | undefined)?.find((item) => item.caseId === caseId);
      },
      60_000,
      'the review in legal-review',
    );
    reviewId = listed.id;
    const detail = await review();
    expect(detail['rounds']).toEqual([
      expect.objectContaining({
        number: 1,
        proposalDigest: proposed.body['hash'],
        catalogVersion: 1,
        evaluation: expect.objectContaining({
          catalog: expect.objectContaining({ reviewRequired: true, matches: [expect.objectContaining({ ruleId: 'R-FINE' })] }),
        }),
      }),
    ]);
    expect((await step({ stepType: 'decision', occurredAt: iso(now - HOUR), fields: firstProposal })).body.code).toBe(
      'LEGAL_REVIEW_REQUIRED',
    );
  });

  it('refuses a reviewer who acted in the case, returns the case, and approves its resubmission in round 2', async () => {
    const conflict = await call('POST', `${legalReview}/reviews/${reviewId}/claim`, officers.b.token);
    expect([conflict.status, conflict.body.code]).toEqual([422, 'REVIEWER_CONFLICT']);
    expect((await call('POST', `${legalReview}/reviews/${reviewId}/claim`, officers.reviewer.token)).status).toBe(200);
    const returned = await call('POST', `${legalReview}/reviews/${reviewId}/conclusion`, officers.reviewer.token, {
      outcome: 'returned',
      items: allPass().map((finding) =>
        finding.item === 'facts-and-evidence' ? { ...finding, result: 'problem', comment: '货值金额的证据不足' } : finding,
      ),
      opinion: '退回补充调查',
    });
    expect(returned.status).toBe(200);
    await awaitStatus('returned');
    expect((await step({ stepType: 'decision', occurredAt: iso(now - HOUR), fields: firstProposal })).body.code).toBe(
      'LEGAL_REVIEW_REQUIRED',
    );

    const resubmitted = await step({ stepType: 'legal-review', occurredAt: iso(now - 28 * DAY), text: '已补充货值金额的证据' });
    expect(resubmitted.status).toBe(201);
    const round2 = await awaitRound(2);
    expect(round2).toMatchObject({ status: 'assigned', reviewerOfficerId: officers.reviewer.id });
    const approved = await call('POST', `${legalReview}/reviews/${reviewId}/conclusion`, officers.reviewer.token, {
      outcome: 'approved',
      items: allPass(),
      opinion: '事实清楚，证据确凿，适用依据正确，程序合法',
    });
    expect(approved.status).toBe(200);
    await awaitStatus('approved');
    const records = await call('GET', `${recording}/cases/${caseId}/records`, officers.a.token);
    const results = ((records.body['items'] ?? records.body) as Array<{ stepType: string; fields: Record<string, unknown> }>).filter(
      (record) => record.stepType === 'legal-review-result',
    );
    expect(results.map((record) => [record.fields['outcome'], record.fields['round']])).toEqual([
      ['returned', 1],
      ['approved', 2],
    ]);
    expect(results[1]?.fields['proposalDigest']).toBe(resubmitted.body['hash']);
    expect(results[1]?.fields['opinionSha256']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses the decision again once the proposal changes, and decides after that proposal is approved', async () => {
    expect((await step({ stepType: 'notice', occurredAt: iso(now - 20 * DAY), fields: changedProposal })).status).toBe(201);
    expect(await reviewStatus()).toBe('required');
    expect((await step({ stepType: 'decision', occurredAt: iso(now - HOUR), fields: changedProposal })).body.code).toBe(
      'LEGAL_REVIEW_REQUIRED',
    );
    expect((await step({ stepType: 'legal-review', occurredAt: iso(now - 19 * DAY) })).status).toBe(201);
    await awaitRound(3);
    const approved = await call('POST', `${legalReview}/reviews/${reviewId}/conclusion`, officers.reviewer.token, {
      outcome: 'approved',
      items: allPass(),
      opinion: '同意',
    });
    expect(approved.status).toBe(200);
    await awaitStatus('approved');
    // Art. 57: a heavy penalty is decided collectively by the agency's leadership.
    expect((await step({ stepType: 'collective-decision', occurredAt: iso(now - 2 * HOUR) })).status).toBe(201);
    const decision = await step({
      stepType: 'decision',
      occurredAt: iso(now - HOUR),
      fields: { ...changedProposal, decisionNumber: '沪黄市监罚〔2026〕7号', partyPresent: true },
    });
    expect([decision.status, decision.body.code]).toEqual([201, undefined]);
  });

  it('sends a case the catalog names to review even when its officers do not, and holds its decision', async () => {
    const opened = await act('POST', `${recording}/cases`, officers.a.token, {
      domain: 'market-regulation',
      regionCode: '310101',
      procedure: 'general',
      party: { kind: 'organisation', name: '上海某某水务有限公司', identifier: '91310101MA1FL1234C', contact: {} },
      allegedViolation: '供水水质不符合卫生标准',
      legalBasis: '《生活饮用水卫生监督管理办法》第二十六条',
      coOfficerIds: [officers.b.id],
      occurredAt: iso(openedAt),
      lateEntryReason,
    });
    expect(opened.status).toBe(201);
    caseId = opened.body['id'] as string;
    // A small fine, below every large amount; the notice says the case concerns a major public interest.
    const small = { penalties: [{ kind: 'fine', amountFen: 500_000 }], facts: '供水水质不符合卫生标准', majorPublicInterest: true };
    expect((await step({ stepType: 'notice', occurredAt: iso(now - 30 * DAY), fields: small })).status).toBe(201);
    await awaitStatus('required');
    const decision = await step({
      stepType: 'decision',
      occurredAt: iso(now - HOUR),
      fields: { ...small, decisionNumber: '沪黄市监罚〔2026〕8号', partyPresent: true },
    });
    expect(decision.body.code).toBe('LEGAL_REVIEW_REQUIRED');
  });
});
