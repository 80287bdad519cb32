import { penaltyKindName } from '@enforcement/contracts';
import { ARTICLES, LegalReviewError } from './legal-review.error';
import { isPenaltyKind, totalFen, yuan, type PenaltyKind, type ProposedPenalty } from './proposal';

/** The circumstances of a discretion benchmark (行政裁量权基准, Art. 34): 不予处罚, 减轻, 从轻, 一般, 从重. */
export const DISCRETION_BANDS = ['no-penalty', 'mitigated', 'lenient', 'general', 'heavier'] as const;
export type DiscretionBand = (typeof DISCRETION_BANDS)[number];

export const BAND_TEXT: Record<DiscretionBand, string> = {
  'no-penalty': '不予处罚',
  mitigated: '减轻处罚',
  lenient: '从轻处罚',
  general: '一般处罚',
  heavier: '从重处罚',
};

/**
 * What one band allows: the penalty kinds, and the fine either as a range in fen or as multiples of the illegal
 * gains (违法所得的N倍以上M倍以下). Both may be given: the multiples apply when there are illegal gains, the
 * fixed range when there are none (the usual "没有违法所得的，处…罚款").
 */
export interface BandSpec {
  penaltyKinds: PenaltyKind[];
  fineFen?: { min: number; max: number };
  fineGainsMultiple?: { min: number; max: number };
}

/** One violation (违法行为) in an agency's benchmark. */
export interface BenchmarkEntry {
  violationCode: string;
  description: string;
  /** The provision that is violated (违法依据). */
  legalBasis: string;
  /** The provision that sets the penalty (处罚依据). */
  penaltyBasis: string;
  bands: Partial<Record<DiscretionBand, BandSpec>>;
}

/** What a proposal says about discretion: its violation, the band it claims, the gains, and a reason if outside. */
export interface DiscretionClaim {
  violationCode: string;
  band: DiscretionBand;
  penalties: readonly ProposedPenalty[];
  illegalGainsFen?: number;
  outOfBandReason?: string;
}

export interface DiscretionFinding {
  code: 'BAND_NOT_IN_BENCHMARK' | 'PENALTY_KIND_OUTSIDE_BAND' | 'FINE_BELOW_BAND' | 'FINE_ABOVE_BAND' | 'ILLEGAL_GAINS_REQUIRED';
  message: string;
}

/** The computation the review item "law applied and discretion" shows. */
export interface DiscretionEvaluation {
  violationCode: string;
  band: DiscretionBand;
  bandText: string;
  legalBasis: string;
  penaltyBasis: string;
  /** The fine range of the band for this case, in fen, once multiples are applied; null when the band sets no fine. */
  fineRangeFen: { min: number; max: number } | null;
  fineTotalFen: number;
  inBand: boolean;
  findings: DiscretionFinding[];
  /** Outside the band with a written reason: admissible, but always reviewed. */
  outOfBandReason: string | null;
  /** Always true outside the band (Art. 34 with the catalog: a departure from the benchmark is reviewed). */
  reviewRequired: boolean;
  article: string;
}

/** Multiples are given to two decimals at most (e.g. 1.5 倍); the product is rounded to the fen. */
function multiply(gainsFen: number, multiple: number): number {
  return Math.round((gainsFen * Math.round(multiple * 100)) / 100);
}

/**
 * Whether the proposed penalty lies in the claimed band of the violation's benchmark (Art. 34). Outside it,
 * the findings say why; a reason is then required (`assertDiscretionAdmissible`) and review always follows.
 */
export function evaluateDiscretion(entry: BenchmarkEntry, claim: DiscretionClaim): DiscretionEvaluation {
  const findings: DiscretionFinding[] = [];
  const spec = entry.bands[claim.band];
  const fineTotalFen = totalFen(claim.penalties, 'fine');
  let fineRangeFen: { min: number; max: number } | null = null;
  if (!spec) {
    findings.push({ code: 'BAND_NOT_IN_BENCHMARK', message: `裁量基准未规定${BAND_TEXT[claim.band]}情形` });
  } else {
    for (const penalty of claim.penalties) {
      if (!(spec.penaltyKinds as readonly string[]).includes(penalty.kind)) {
        findings.push({ code: 'PENALTY_KIND_OUTSIDE_BAND', message: `${BAND_TEXT[claim.band]}不包括${penaltyKindName(penalty.kind)}` });
      }
    }
    const gains = claim.illegalGainsFen ?? 0;
    if (spec.fineGainsMultiple && gains > 0) {
      fineRangeFen = { min: multiply(gains, spec.fineGainsMultiple.min), max: multiply(gains, spec.fineGainsMultiple.max) };
    } else if (spec.fineFen) {
      fineRangeFen = { ...spec.fineFen };
    } else if (spec.fineGainsMultiple && fineTotalFen > 0) {
      findings.push({ code: 'ILLEGAL_GAINS_REQUIRED', message: '该情形罚款以违法所得倍数计算，须载明违法所得金额' });
    }
    if (fineRangeFen && fineTotalFen > 0) {
      if (fineTotalFen < fineRangeFen.min) {
        findings.push({
          code: 'FINE_BELOW_BAND',
          message: `罚款${yuan(fineTotalFen)}低于${BAND_TEXT[claim.band]}下限${yuan(fineRangeFen.min)}`,
        });
      }
      if (fineTotalFen > fineRangeFen.max) {
        findings.push({
          code: 'FINE_ABOVE_BAND',
          message: `罚款${yuan(fineTotalFen)}高于${BAND_TEXT[claim.band]}上限${yuan(fineRangeFen.max)}`,
        });
      }
    }
  }
  const inBand = findings.length === 0;
  const reason = claim.outOfBandReason?.trim() ? claim.outOfBandReason.trim() : null;
  return {
    violationCode: entry.violationCode,
    band: claim.band,
    bandText: BAND_TEXT[claim.band],
    legalBasis: entry.legalBasis,
    penaltyBasis: entry.penaltyBasis,
    fineRangeFen,
    fineTotalFen,
    inBand,
    findings,
    outOfBandReason: inBand ? null : reason,
    reviewRequired: !inBand,
    article: ARTICLES.art34,
  };
}

/** Outside the band, the unit must say why in writing (422 OUT_OF_BAND_REASON_REQUIRED, Art. 34). */
export function assertDiscretionAdmissible(evaluation: DiscretionEvaluation): void {
  if (!evaluation.inBand && !evaluation.outOfBandReason) {
    throw new LegalReviewError('OUT_OF_BAND_REASON_REQUIRED', '拟处罚超出裁量基准的，须书面说明理由', 'refused', {
      article: ARTICLES.art34,
      details: { findings: evaluation.findings },
    });
  }
}

export interface BenchmarkProblem {
  field: string;
  problem: string;
}

/** What is wrong with a benchmark entry an administrator submits; empty when it may be saved. */
export function benchmarkProblems(entry: BenchmarkEntry): BenchmarkProblem[] {
  const problems: BenchmarkProblem[] = [];
  const bands = Object.keys(entry.bands);
  if (bands.length === 0) problems.push({ field: 'bands', problem: 'has no band' });
  for (const band of bands) {
    const field = `bands.${band}`;
    if (!(DISCRETION_BANDS as readonly string[]).includes(band)) {
      problems.push({ field, problem: 'is not a discretion band' });
      continue;
    }
    const spec = entry.bands[band as DiscretionBand] as BandSpec;
    for (const kind of spec.penaltyKinds)
      if (!isPenaltyKind(kind)) problems.push({ field: `${field}.penaltyKinds`, problem: `${kind} is not a penalty kind` });
    if (band === 'no-penalty' && spec.penaltyKinds.length > 0)
      problems.push({ field: `${field}.penaltyKinds`, problem: 'no penalty allows no penalty kind' });
    for (const [key, range, whole] of [
      ['fineFen', spec.fineFen, true],
      ['fineGainsMultiple', spec.fineGainsMultiple, false],
    ] as const) {
      if (!range) continue;
      const valid = (value: number) => Number.isFinite(value) && value >= 0 && (!whole || Number.isSafeInteger(value));
      if (!valid(range.min) || !valid(range.max) || range.min > range.max)
        problems.push({ field: `${field}.${key}`, problem: 'is not a range from min to max' });
    }
    if ((spec.fineFen || spec.fineGainsMultiple) && !spec.penaltyKinds.includes('fine')) {
      problems.push({ field: `${field}.penaltyKinds`, problem: 'sets a fine range without allowing a fine' });
    }
  }
  return problems;
}

export function assertBenchmarkValid(entry: BenchmarkEntry): void {
  const problems = benchmarkProblems(entry);
  if (problems.length > 0) {
    throw new LegalReviewError('BENCHMARK_INVALID', '裁量基准内容不符合要求，请修改后再保存', 'refused', {
      article: ARTICLES.art34,
      details: { problems },
    });
  }
}
