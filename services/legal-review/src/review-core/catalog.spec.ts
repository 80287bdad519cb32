import {
  assertPublishable,
  catalogProblems,
  DEFAULT_HEARING_THRESHOLDS,
  emptyCatalog,
  evaluateCatalog,
  type CatalogContent,
  type CatalogVersion,
} from './catalog';
import { isLegalReviewError } from './legal-review.error';
import type { Proposal } from './proposal';

const base: Proposal = {
  domain: 'market-regulation',
  partyKind: 'organisation',
  penalties: [],
  hearingHeld: false,
  flags: [],
  conditions: [],
};
const proposal = (over: Partial<Proposal>): Proposal => ({ ...base, ...over });

/** Agency A (a province with high figures) and agency B (lower figures), each with versions. */
const contentA1: CatalogContent = {
  reviewWorkingDays: 5,
  hearingThresholds: {
    largeFineFen: { 'natural-person': 1_000_000, organisation: 10_000_000 },
    largeConfiscationFen: { 'natural-person': 1_000_000, organisation: 10_000_000 },
  },
  rules: [
    {
      id: 'R-LICENCE',
      title: '吊销许可证件、责令停产停业、责令关闭、限制从业',
      ground: 'law-named',
      penaltyKinds: ['licence-revocation', 'production-suspension', 'business-closure', 'practice-restriction'],
    },
    {
      id: 'R-FINE',
      title: '较大数额罚款',
      ground: 'law-named',
      minFineTotalFen: { 'natural-person': 2_000_000, organisation: 20_000_000 },
    },
    { id: 'R-CONFISCATION', title: '没收较大数额', ground: 'law-named', minConfiscationTotalFen: { organisation: 5_000_000 } },
    { id: 'R-HEARING', title: '经过听证', ground: 'major-rights-after-hearing', hearingHeld: true },
    { id: 'R-PUBLIC', title: '涉及重大公共利益', ground: 'major-public-interest', flags: ['major-public-interest'] },
    { id: 'R-COMPLEX', title: '疑难复杂且涉及多个法律关系', ground: 'complex', flags: ['complex', 'several-legal-relationships'] },
    { id: 'R-FOOD', title: '食品安全领域的停业', ground: 'law-named', domains: ['food-safety'], penaltyKinds: ['licence-suspension'] },
    { id: 'R-NAMED', title: '地方性法规规定的情形', ground: 'law-named', conditions: ['local-regulation-article-12'] },
  ],
  collectiveDecisionConditions: [
    { id: 'C-REVOKE', title: '吊销许可证件', penaltyKinds: ['licence-revocation'] },
    { id: 'C-FINE', title: '罚款数额巨大', minFineTotalFen: { organisation: 50_000_000, 'natural-person': 5_000_000 } },
  ],
};
const contentA2: CatalogContent = {
  ...contentA1,
  rules: contentA1.rules.map((rule) =>
    rule.id === 'R-FINE' ? { ...rule, minFineTotalFen: { 'natural-person': 1_500_000, organisation: 15_000_000 } } : rule,
  ),
};
const contentB: CatalogContent = {
  ...contentA1,
  hearingThresholds: {
    largeFineFen: { 'natural-person': 500_000, organisation: 5_000_000 },
    largeConfiscationFen: { 'natural-person': 500_000, organisation: 5_000_000 },
  },
  rules: [
    { id: 'R-FINE', title: '较大数额罚款', ground: 'law-named', minFineTotalFen: { 'natural-person': 500_000, organisation: 5_000_000 } },
  ],
  collectiveDecisionConditions: [],
};
const catalogs: Record<string, CatalogVersion> = {
  'A v1': { agencyId: 'A', version: 1, content: contentA1 },
  'A v2': { agencyId: 'A', version: 2, content: contentA2 },
  'B v1': { agencyId: 'B', version: 1, content: contentB },
};

const fine = (amountFen: number) => ({ kind: 'fine', amountFen });

describe('evaluateCatalog', () => {
  it.each<[string, string, Partial<Proposal>, string[], boolean, boolean]>([
    // catalog, case, proposal, rules matched, hearing available, collective decision
    ['A v1', 'a warning only', { penalties: [{ kind: 'warning', amountFen: 0 }] }, [], false, false],
    ['A v1', 'licence revocation', { penalties: [{ kind: 'licence-revocation', amountFen: 0 }] }, ['R-LICENCE'], true, true],
    ['A v1', 'suspension of production', { penalties: [{ kind: 'production-suspension', amountFen: 0 }] }, ['R-LICENCE'], true, false],
    ['A v1', 'closure', { penalties: [{ kind: 'business-closure', amountFen: 0 }] }, ['R-LICENCE'], true, false],
    ['A v1', 'practice restriction', { penalties: [{ kind: 'practice-restriction', amountFen: 0 }] }, ['R-LICENCE'], true, false],
    ['A v1', 'organisation fine 199,999.99 below 200,000', { penalties: [fine(19_999_999)] }, [], true, false],
    ['A v1', 'organisation fine exactly 200,000', { penalties: [fine(20_000_000)] }, ['R-FINE'], true, false],
    ['A v1', 'two fines adding up to 200,000', { penalties: [fine(10_000_000), fine(10_000_000)] }, ['R-FINE'], true, false],
    ['A v1', 'natural person fine 20,000', { partyKind: 'natural-person', penalties: [fine(2_000_000)] }, ['R-FINE'], true, false],
    ['A v1', 'natural person fine 9,999', { partyKind: 'natural-person', penalties: [fine(999_900)] }, [], false, false],
    [
      'A v1',
      'organisation confiscation 50,000',
      { penalties: [{ kind: 'confiscation', amountFen: 5_000_000 }] },
      ['R-CONFISCATION'],
      false,
      false,
    ],
    [
      'A v1',
      'confiscation from a natural person (no figure for that kind)',
      { partyKind: 'natural-person', penalties: [{ kind: 'confiscation', amountFen: 5_000_000 }] },
      [],
      true,
      false,
    ],
    ['A v1', 'hearing held', { hearingHeld: true, penalties: [fine(100)] }, ['R-HEARING'], false, false],
    ['A v1', 'major public interest', { flags: ['major-public-interest'] }, ['R-PUBLIC'], false, false],
    ['A v1', 'complex only (the rule needs both flags)', { flags: ['complex'] }, [], false, false],
    [
      'A v1',
      'complex with several legal relationships',
      { flags: ['complex', 'several-legal-relationships'] },
      ['R-COMPLEX'],
      false,
      false,
    ],
    [
      'A v1',
      'licence suspension in food safety',
      { domain: 'food-safety', penalties: [{ kind: 'licence-suspension', amountFen: 0 }] },
      ['R-FOOD'],
      true,
      false,
    ],
    ['A v1', 'licence suspension in another domain', { penalties: [{ kind: 'licence-suspension', amountFen: 0 }] }, [], true, false],
    ['A v1', 'a condition a local regulation names', { conditions: ['local-regulation-article-12'] }, ['R-NAMED'], false, false],
    [
      'A v1',
      'revocation, huge fine, hearing, public interest',
      { hearingHeld: true, flags: ['major-public-interest'], penalties: [{ kind: 'licence-revocation', amountFen: 0 }, fine(60_000_000)] },
      ['R-LICENCE', 'R-FINE', 'R-HEARING', 'R-PUBLIC'],
      true,
      true,
    ],
    ['A v2', 'organisation fine 150,000 under version 2', { penalties: [fine(15_000_000)] }, ['R-FINE'], true, false],
    ['A v1', 'the same fine under version 1', { penalties: [fine(15_000_000)] }, [], true, false],
    ['B v1', 'organisation fine 50,000 in agency B', { penalties: [fine(5_000_000)] }, ['R-FINE'], true, false],
    ['A v1', 'the same fine in agency A', { penalties: [fine(5_000_000)] }, [], false, false],
    ['B v1', 'natural person fine 5,000 in agency B', { partyKind: 'natural-person', penalties: [fine(500_000)] }, ['R-FINE'], true, false],
  ])('%s: %s', (catalog, _case, over, ruleIds, hearing, collective) => {
    const sut = evaluateCatalog(catalogs[catalog] as CatalogVersion, proposal(over));
    expect(sut.matches.map((match) => match.ruleId)).toEqual(ruleIds);
    expect(sut.reviewRequired).toBe(ruleIds.length > 0);
    expect(sut.hearing.available).toBe(hearing);
    expect(sut.collectiveDecision.required).toBe(collective);
    expect(sut.catalogVersion).toBe((catalogs[catalog] as CatalogVersion).version);
  });

  it('says why a rule matched, with the Art. 58 ground and article', () => {
    const sut = evaluateCatalog(catalogs['A v1'] as CatalogVersion, proposal({ penalties: [fine(20_000_000)] }));
    expect(sut.matches[0]).toEqual({
      ruleId: 'R-FINE',
      title: '较大数额罚款',
      ground: 'law-named',
      article: '《行政处罚法》第五十八条',
      reasons: ['法律、法规规定应当进行法制审核的其他情形（第五十八条第一款第四项）', '罚款合计200000.00元，达到200000.00元'],
    });
    expect(sut.hearing).toEqual({
      available: true,
      reasons: ['较大数额罚款：200000.00元，标准100000.00元'],
      article: '《行政处罚法》第六十三条',
    });
  });

  it('gives a new agency no rules and the default Art. 63 figures', () => {
    const sut = evaluateCatalog(emptyCatalog('C'), proposal({ penalties: [fine(10_000_000)] }));
    expect(sut).toMatchObject({ catalogVersion: 0, reviewRequired: false, hearing: { available: true } });
    expect(emptyCatalog('C').content.hearingThresholds).toEqual(DEFAULT_HEARING_THRESHOLDS);
  });
});

describe('catalogProblems', () => {
  it('accepts the examples', () => {
    expect(catalogProblems(contentA1)).toEqual([]);
    expect(catalogProblems(contentB)).toEqual([]);
  });

  it('refuses a rule without criteria, twice-given ids, unknown kinds and flags, bad amounts and thresholds', () => {
    const bad = {
      ...contentA1,
      reviewWorkingDays: 0,
      hearingThresholds: { ...contentA1.hearingThresholds, largeFineFen: { 'natural-person': -1, organisation: 1.5 } },
      rules: [
        { id: 'X', title: '空', ground: 'law-named' },
        {
          id: 'X',
          title: '重复',
          ground: 'no-such-ground',
          penaltyKinds: ['beheading'],
          flags: ['urgent'],
          minFineTotalFen: { robot: 5, organisation: -5 },
        },
      ],
    } as unknown as CatalogContent;
    const fields = catalogProblems(bad).map((problem) => problem.field);
    expect(fields).toEqual([
      'rules[0]',
      'rules[1].id',
      'rules[1].ground',
      'rules[1].penaltyKinds',
      'rules[1].flags',
      'rules[1].minFineTotalFen.robot',
      'rules[1].minFineTotalFen.organisation',
      'hearingThresholds.largeFineFen.natural-person',
      'hearingThresholds.largeFineFen.organisation',
      'reviewWorkingDays',
    ]);
    let thrown: unknown;
    try {
      assertPublishable(bad);
    } catch (error) {
      thrown = error;
    }
    expect(isLegalReviewError(thrown, 'CATALOG_INVALID')).toBe(true);
  });
});
