import {
  assertBenchmarkValid,
  assertDiscretionAdmissible,
  benchmarkProblems,
  evaluateDiscretion,
  type BenchmarkEntry,
  type DiscretionClaim,
} from './discretion-benchmark';
import { isLegalReviewError } from './legal-review.error';

/** 《食品安全法》第一百二十四条-like: fines of 5-10 times the goods' value, 50,000-100,000 when under 10,000. */
const entry: BenchmarkEntry = {
  violationCode: 'FS-124',
  description: '生产经营超范围、超限量使用食品添加剂的食品',
  legalBasis: '《中华人民共和国食品安全法》第三十四条',
  penaltyBasis: '《中华人民共和国食品安全法》第一百二十四条',
  bands: {
    'no-penalty': { penaltyKinds: [] },
    mitigated: { penaltyKinds: ['fine', 'confiscation'], fineFen: { min: 1_000_000, max: 5_000_000 } },
    lenient: {
      penaltyKinds: ['fine', 'confiscation'],
      fineFen: { min: 5_000_000, max: 6_500_000 },
      fineGainsMultiple: { min: 5, max: 6.5 },
    },
    general: {
      penaltyKinds: ['fine', 'confiscation'],
      fineFen: { min: 6_500_000, max: 8_500_000 },
      fineGainsMultiple: { min: 6.5, max: 8.5 },
    },
    heavier: { penaltyKinds: ['fine', 'confiscation', 'licence-revocation'], fineGainsMultiple: { min: 8.5, max: 10 } },
  },
};

const fine = (amountFen: number) => ({ kind: 'fine', amountFen });
const claim = (over: Partial<DiscretionClaim>): DiscretionClaim => ({ violationCode: 'FS-124', band: 'general', penalties: [], ...over });

describe('evaluateDiscretion', () => {
  it.each<[string, Partial<DiscretionClaim>, boolean, string[], { min: number; max: number } | null]>([
    ['general, fixed range, in band', { penalties: [fine(7_000_000)] }, true, [], { min: 6_500_000, max: 8_500_000 }],
    ['general, at the lower bound', { penalties: [fine(6_500_000)] }, true, [], { min: 6_500_000, max: 8_500_000 }],
    ['general, at the upper bound', { penalties: [fine(8_500_000)] }, true, [], { min: 6_500_000, max: 8_500_000 }],
    ['general, below', { penalties: [fine(6_499_999)] }, false, ['FINE_BELOW_BAND'], { min: 6_500_000, max: 8_500_000 }],
    ['general, above', { penalties: [fine(8_500_001)] }, false, ['FINE_ABOVE_BAND'], { min: 6_500_000, max: 8_500_000 }],
    [
      'lenient, 20,000 gains × 5-6.5, 110,000 fine',
      { band: 'lenient', illegalGainsFen: 2_000_000, penalties: [fine(11_000_000)] },
      true,
      [],
      { min: 10_000_000, max: 13_000_000 },
    ],
    [
      'lenient, 20,000 gains, 140,000 fine is above 6.5 times',
      { band: 'lenient', illegalGainsFen: 2_000_000, penalties: [fine(14_000_000)] },
      false,
      ['FINE_ABOVE_BAND'],
      { min: 10_000_000, max: 13_000_000 },
    ],
    [
      'general, gains of 333.33 × 6.5 rounded half up to the fen',
      { illegalGainsFen: 33_333, penalties: [fine(216_665)] },
      true,
      [],
      { min: 216_665, max: 283_331 },
    ],
    [
      'heavier, multiples only, gains given',
      { band: 'heavier', illegalGainsFen: 1_000_000, penalties: [fine(9_000_000), { kind: 'licence-revocation', amountFen: 0 }] },
      true,
      [],
      { min: 8_500_000, max: 10_000_000 },
    ],
    [
      'heavier, multiples only, no gains stated',
      { band: 'heavier', penalties: [fine(9_000_000)] },
      false,
      ['ILLEGAL_GAINS_REQUIRED'],
      null,
    ],
    [
      'mitigated, a revocation is not in the band',
      { band: 'mitigated', penalties: [fine(2_000_000), { kind: 'licence-revocation', amountFen: 0 }] },
      false,
      ['PENALTY_KIND_OUTSIDE_BAND'],
      { min: 1_000_000, max: 5_000_000 },
    ],
    ['no penalty, yet a fine', { band: 'no-penalty', penalties: [fine(100)] }, false, ['PENALTY_KIND_OUTSIDE_BAND'], null],
    ['no penalty and none proposed', { band: 'no-penalty', penalties: [] }, true, [], null],
  ])('%s', (_case, over, inBand, codes, range) => {
    const sut = evaluateDiscretion(entry, claim(over));
    expect(sut.inBand).toBe(inBand);
    expect(sut.findings.map((finding) => finding.code)).toEqual(codes);
    expect(sut.fineRangeFen).toEqual(range);
    expect(sut.reviewRequired).toBe(!inBand);
  });

  it('refuses a band the benchmark does not set', () => {
    const sut = evaluateDiscretion({ ...entry, bands: { general: entry.bands.general } }, claim({ band: 'heavier', penalties: [fine(1)] }));
    expect(sut.findings.map((finding) => finding.code)).toEqual(['BAND_NOT_IN_BENCHMARK']);
  });

  it('needs a written reason outside the band, and keeps it; inside the band none is needed', () => {
    const outside = evaluateDiscretion(entry, claim({ penalties: [fine(9_000_000)] }));
    expect(() => assertDiscretionAdmissible(outside)).toThrow(expect.objectContaining({ code: 'OUT_OF_BAND_REASON_REQUIRED' }));
    const blank = evaluateDiscretion(entry, claim({ penalties: [fine(9_000_000)], outOfBandReason: '   ' }));
    expect(() => assertDiscretionAdmissible(blank)).toThrow(expect.objectContaining({ code: 'OUT_OF_BAND_REASON_REQUIRED' }));
    const reasoned = evaluateDiscretion(entry, claim({ penalties: [fine(9_000_000)], outOfBandReason: '当事人拒不配合调查，隐匿证据' }));
    expect(() => assertDiscretionAdmissible(reasoned)).not.toThrow();
    expect(reasoned).toMatchObject({ inBand: false, reviewRequired: true, outOfBandReason: '当事人拒不配合调查，隐匿证据' });
    const inside = evaluateDiscretion(entry, claim({ penalties: [fine(7_000_000)], outOfBandReason: '无关' }));
    expect(() => assertDiscretionAdmissible(inside)).not.toThrow();
    expect(inside.outOfBandReason).toBeNull();
  });
});

describe('benchmarkProblems', () => {
  it('accepts the example and refuses malformed bands', () => {
    expect(benchmarkProblems(entry)).toEqual([]);
    const bad = {
      ...entry,
      bands: {
        'no-penalty': { penaltyKinds: ['warning'] },
        general: { penaltyKinds: ['warning'], fineFen: { min: 10, max: 5 } },
        sometimes: { penaltyKinds: [] },
      },
    } as unknown as BenchmarkEntry;
    expect(benchmarkProblems(bad).map((problem) => problem.field)).toEqual([
      'bands.no-penalty.penaltyKinds',
      'bands.general.fineFen',
      'bands.general.penaltyKinds',
      'bands.sometimes',
    ]);
    expect(benchmarkProblems({ ...entry, bands: {} }).map((problem) => problem.field)).toEqual(['bands']);
  });

  it('refuses to save a malformed entry with BENCHMARK_INVALID', () => {
    let thrown: unknown;
    try {
      assertBenchmarkValid({ ...entry, bands: {} });
    } catch (error) {
      thrown = error;
    }
    expect(isLegalReviewError(thrown, 'BENCHMARK_INVALID')).toBe(true);
  });
});
