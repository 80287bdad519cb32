import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../support/processes';
import type { Measurement, Round, Scenario, ScenarioContext } from '../harness';

const run = promisify(execFile);

export interface LegalReviewEvaluationOptions {
  /** Catalog rules of the agency for the subject: the size the requirement names. */
  rules: number;
  /** Catalog rules for the baseline: the same evaluation on a small catalog. */
  baselineRules: number;
  samples: number;
  warmup: number;
  /** The requirement on the subject's p99 per proposal, in ms. */
  maxP99Ms: number;
  name?: string;
  rounds?: number;
  warmupRounds?: number;
}

export const LEGAL_REVIEW_EVALUATION_DEFAULTS: LegalReviewEvaluationOptions = {
  rules: 1000,
  baselineRules: 10,
  samples: 20_000,
  warmup: 2_000,
  maxP99Ms: 5,
};

interface EvaluationLatency {
  rules: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  reviewRequiredShare: number;
  outOfBandShare: number;
}

/**
 * What the legal-review service computes on every proposal: the agency's major-decision catalog (every rule
 * matched: domain, penalty kinds, fine and confiscation totals per party kind, hearing, flags, conditions) plus the
 * discretion band of the named violation, p99 per proposal with 1,000 rules against the same with 10. Each side runs
 * in a process of its own (services/legal-review/src/bench/evaluation-latency.cli.ts: the harness imports no
 * service), which times each proposal and reports the percentiles; the process start is outside the figure.
 */
export function legalReviewEvaluation(overrides: Partial<LegalReviewEvaluationOptions> = {}): Scenario {
  const options: LegalReviewEvaluationOptions = { ...LEGAL_REVIEW_EVALUATION_DEFAULTS, ...overrides };

  const side = (rules: number, context: ScenarioContext) => async (): Promise<Measurement> => {
    const started = process.hrtime.bigint();
    const { stdout } = await run(
      process.execPath,
      [
        'scripts/run-ts.js',
        'services/legal-review/src/bench/evaluation-latency.cli.ts',
        '--rules',
        String(rules),
        '--samples',
        String(options.samples),
        '--warmup',
        String(options.warmup),
      ],
      { cwd: REPO_ROOT, maxBuffer: 1024 * 1024 },
    );
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    const latency = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as EvaluationLatency;
    if (latency.rules !== rules) throw new Error(`legal-review-evaluation: ran with ${latency.rules} rules, expected ${rules}`);
    const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
    context.log(
      `    ${rules} rules: p50 ${us(latency.p50Ms)}, p99 ${us(latency.p99Ms)}, max ${us(latency.maxMs)}; ` +
        `${(latency.reviewRequiredShare * 100).toFixed(0)}% sent to review, ${(latency.outOfBandShare * 100).toFixed(0)}% out of band`,
    );
    return { value: latency.p99Ms * 1000, elapsedMs };
  };

  return {
    name: options.name ?? 'legal-review-evaluation',
    description:
      `catalog + discretion evaluation p99 per proposal with ${options.rules.toLocaleString('en-US')} catalog rules vs ` +
      `${options.baselineRules} (${options.samples.toLocaleString('en-US')} proposals per side; requirement p99 < ${options.maxP99Ms} ms)`,
    unit: 'µs (p99)',
    higherIsBetter: false,
    rounds: options.rounds ?? 5,
    warmupRounds: options.warmupRounds ?? 1,
    // The catalog is matched rule by rule: 100× the rules may cost up to about 100× (a ratio far above that would
    // mean the evaluation grew worse than linear); the requirement itself is absolute.
    target: { maxRatio: 150, maxSubject: options.maxP99Ms * 1000 },

    async setup(context: ScenarioContext) {
      context.log('synthetic catalog (rules by domain, penalty kind, amounts, hearing, flags, conditions) and a 200-violation benchmark');
    },

    async round(_index: number, context: ScenarioContext): Promise<Round> {
      return { baseline: side(options.baselineRules, context), subject: side(options.rules, context) };
    },

    async teardown() {
      // Each side is a process that has exited.
    },
  };
}
