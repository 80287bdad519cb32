// Prints measureEvaluationLatency as JSON for `npm run bench` (test/bench/scenarios/legal-review-evaluation.bench.ts),
// which runs it as a process of its own: the bench harness does not import a service's code.
import { measureEvaluationLatency } from './evaluation-latency';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
  return value;
}

process.stdout.write(
  `${JSON.stringify(
    measureEvaluationLatency({
      rules: option('rules', 1000),
      violations: option('violations', 200),
      samples: option('samples', 20_000),
      warmup: option('warmup', 2_000),
      seed: option('seed', 12_345),
    }),
  )}\n`,
);
