import { annualStatistics, STATISTICS_COLUMNS, type StatisticsRow } from './annual-statistics';

const due = new Date('2026-03-11T16:00:00Z');
const row = (overrides: Partial<StatisticsRow>): StatisticsRow => ({
  agencyId: 'a',
  status: 'published',
  penaltyKinds: ['fine'],
  fineFen: 500_000,
  confiscationFen: 0,
  dueAt: due,
  publishedAt: new Date('2026-03-05T00:00:00Z'),
  ...overrides,
});

describe(annualStatistics.name, () => {
  it('counts each kind of penalty recording records under its name in the law, never under its code', () => {
    const kinds = ['licence-suspension', 'qualification-lowering', 'production-suspension', 'business-closure'];
    const [sut] = annualStatistics(
      2026,
      [row({ penaltyKinds: kinds })],
      new Map([['a', '黄浦区市场监管局']]),
      new Date('2027-01-10T00:00:00Z'),
    );
    expect(sut.byPenaltyKind).toEqual({ 暂扣许可证件: 1, 降低资质等级: 1, 责令停产停业: 1, 责令关闭: 1 });
  });

  it('counts an agency’s decisions, publications on time, withdrawals, the never published and the overdue', () => {
    const [sut] = annualStatistics(
      2026,
      [
        row({}),
        row({ publishedAt: new Date('2026-03-12T00:00:00Z') }),
        row({ status: 'withdrawn', penaltyKinds: ['fine', 'confiscation'], confiscationFen: 10_050 }),
        row({ status: 'not-published', penaltyKinds: ['warning'], fineFen: 0, publishedAt: null }),
        row({ status: 'pending-review', publishedAt: null }),
      ],
      new Map([['a', '黄浦区市场监管局']]),
      new Date('2027-01-10T00:00:00Z'),
    );
    expect(sut).toEqual({
      agencyId: 'a',
      agencyName: '黄浦区市场监管局',
      year: 2026,
      decisions: 5,
      published: 3,
      publishedOnTime: 2,
      notPublished: 1,
      withdrawn: 1,
      overdue: 1,
      byPenaltyKind: { 罚款: 4, '没收违法所得、没收非法财物': 1, 警告: 1 },
      fineYuan: '20000.00',
      confiscationYuan: '100.50',
    });
    expect(STATISTICS_COLUMNS.map(([, value]) => value(sut)).at(-1)).toBe('罚款4；没收违法所得、没收非法财物1；警告1');
  });

  it('one line per agency, by name', () => {
    const sut = annualStatistics(
      2026,
      [row({ agencyId: 'b' }), row({ agencyId: 'a' })],
      new Map([
        ['a', '乙'],
        ['b', '甲'],
      ]),
      new Date(),
    );
    expect(sut.map((s) => s.agencyName)).toEqual(['乙', '甲'].sort());
  });
});
