import { evaluateCatalog, REVIEW_GROUNDS, type CatalogRule, type CatalogVersion } from '../review-core/catalog';
import { evaluateDiscretion, type BenchmarkEntry, type DiscretionBand } from '../review-core/discretion-benchmark';
import { PENALTY_KINDS, PROPOSAL_FLAGS, type Proposal } from '../review-core/proposal';

export interface EvaluationLatencyOptions {
  /** Catalog rules of the agency. */
  rules: number;
  /** Violations in the agency's discretion benchmark. */
  violations: number;
  samples: number;
  warmup: number;
  seed?: number;
}

export interface EvaluationLatency {
  rules: number;
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  /** Share of proposals the catalog sends to review, and of those outside their discretion band. */
  reviewRequiredShare: number;
  outOfBandShare: number;
}

const DOMAINS = ['market-regulation', 'food-safety', 'drug-safety', 'ecology', 'transport', 'urban-management', 'emergency', 'culture'];
const BANDS: DiscretionBand[] = ['mitigated', 'lenient', 'general', 'heavier'];

/** A small deterministic generator, so that both sides of a round evaluate the same kind of load. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

function pick<T>(next: () => number, values: readonly T[]): T {
  return values[Math.floor(next() * values.length)] as T;
}

/** A catalog like a province's: rules by domain, penalty kind, amounts per party kind, hearing, flags, named conditions. */
export function syntheticCatalog(rules: number, next: () => number): CatalogVersion {
  const list: CatalogRule[] = [];
  for (let i = 0; i < rules; i++) {
    // Each rule is about one domain and one thing, as catalogs list them: heavy penalty kinds, amounts above the
    // agency's large amounts, a hearing, a flag, or a condition a law names.
    const rule: CatalogRule = { id: `R-${i}`, title: `规则${i}`, ground: pick(next, REVIEW_GROUNDS), domains: [pick(next, DOMAINS)] };
    const kind = next();
    if (kind < 0.3) rule.penaltyKinds = [pick(next, PENALTY_KINDS.slice(4))];
    else if (kind < 0.6)
      rule.minFineTotalFen = {
        'natural-person': 1_000_000 + Math.round(next() * 9_000_000),
        organisation: 10_000_000 + Math.round(next() * 90_000_000),
      };
    else if (kind < 0.7) rule.minConfiscationTotalFen = { organisation: 10_000_000 + Math.round(next() * 90_000_000) };
    else if (kind < 0.8) rule.flags = [pick(next, PROPOSAL_FLAGS)];
    else if (kind < 0.9) rule.hearingHeld = true;
    else rule.conditions = [`condition-${Math.floor(next() * 500)}`];
    list.push(rule);
  }
  return {
    agencyId: 'bench-agency',
    version: 1,
    content: {
      rules: list,
      hearingThresholds: {
        largeFineFen: { 'natural-person': 1_000_000, organisation: 10_000_000 },
        largeConfiscationFen: { 'natural-person': 1_000_000, organisation: 10_000_000 },
      },
      collectiveDecisionConditions: [{ id: 'C-1', title: '吊销许可证件', penaltyKinds: ['licence-revocation'] }],
      reviewWorkingDays: 5,
    },
  };
}

export function syntheticBenchmark(violations: number): Map<string, BenchmarkEntry> {
  const entries = new Map<string, BenchmarkEntry>();
  for (let i = 0; i < violations; i++) {
    entries.set(`V-${i}`, {
      violationCode: `V-${i}`,
      description: `违法行为${i}`,
      legalBasis: '《某法》第十条',
      penaltyBasis: '《某法》第三十条',
      bands: {
        mitigated: { penaltyKinds: ['warning', 'fine'], fineFen: { min: 0, max: 1_000_000 } },
        lenient: {
          penaltyKinds: ['fine', 'confiscation'],
          fineFen: { min: 1_000_000, max: 3_000_000 },
          fineGainsMultiple: { min: 1, max: 2 },
        },
        general: {
          penaltyKinds: ['fine', 'confiscation'],
          fineFen: { min: 3_000_000, max: 7_000_000 },
          fineGainsMultiple: { min: 2, max: 3.5 },
        },
        heavier: {
          penaltyKinds: ['fine', 'confiscation', 'licence-suspension', 'licence-revocation'],
          fineGainsMultiple: { min: 3.5, max: 5 },
        },
      },
    });
  }
  return entries;
}

function syntheticProposal(next: () => number): { proposal: Proposal; violationCode: string; band: DiscretionBand; gains: number } {
  const penalties = [{ kind: 'fine', amountFen: Math.round(next() * (next() < 0.9 ? 8_000_000 : 50_000_000)) }];
  if (next() < 0.05) penalties.push({ kind: pick(next, PENALTY_KINDS.slice(4)), amountFen: 0 });
  return {
    proposal: {
      domain: pick(next, DOMAINS),
      partyKind: next() < 0.5 ? 'organisation' : 'natural-person',
      penalties,
      hearingHeld: next() < 0.05,
      flags: next() < 0.05 ? [pick(next, PROPOSAL_FLAGS)] : [],
      conditions: next() < 0.1 ? [`condition-${Math.floor(next() * 500)}`] : [],
    },
    violationCode: `V-${Math.floor(next() * 200)}`,
    band: pick(next, BANDS),
    gains: next() < 0.5 ? Math.round(next() * 5_000_000) : 0,
  };
}

/**
 * What the legal-review service computes for each proposal it receives: the agency's catalog (every rule) and the
 * discretion benchmark entry of the violation named, timed per proposal.
 */
export function measureEvaluationLatency(options: EvaluationLatencyOptions): EvaluationLatency {
  const next = random(options.seed ?? 12_345);
  const catalog = syntheticCatalog(options.rules, next);
  const benchmark = syntheticBenchmark(options.violations);
  const proposals = Array.from({ length: 1024 }, () => syntheticProposal(next));
  const evaluate = (i: number) => {
    const { proposal, violationCode, band, gains } = proposals[i % proposals.length] as ReturnType<typeof syntheticProposal>;
    const catalogResult = evaluateCatalog(catalog, proposal);
    const entry = benchmark.get(violationCode);
    const discretion = entry
      ? evaluateDiscretion(entry, { violationCode, band, penalties: proposal.penalties, illegalGainsFen: gains })
      : null;
    return { catalogResult, discretion };
  };
  for (let i = 0; i < options.warmup; i++) evaluate(i);
  const times = new Float64Array(options.samples);
  let required = 0;
  let outOfBand = 0;
  for (let i = 0; i < options.samples; i++) {
    const started = process.hrtime.bigint();
    const result = evaluate(i);
    times[i] = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.catalogResult.reviewRequired) required++;
    if (result.discretion && !result.discretion.inBand) outOfBand++;
  }
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    rules: options.rules,
    samples: options.samples,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: sorted.at(-1) ?? 0,
    meanMs: sorted.reduce((sum, t) => sum + t, 0) / Math.max(1, sorted.length),
    reviewRequiredShare: required / Math.max(1, options.samples),
    outOfBandShare: outOfBand / Math.max(1, options.samples),
  };
}
