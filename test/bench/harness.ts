import * as os from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A benchmark harness for shared, noisy machines. Absolute figures mean little there, so every
 * scenario measures a baseline next to its subject in the same process, interleaved round by round,
 * and what counts is the ratio subject/baseline.
 */

/** One timed run of one side of a round. */
export interface Measurement {
  /** The figure compared, in the scenario's unit. */
  value: number;
  /** Wall time of the timed part. */
  elapsedMs: number;
}

/** One round: the two sides measured on equal terms; the harness decides which goes first. */
export interface Round {
  baseline(): Promise<Measurement>;
  subject(): Promise<Measurement>;
}

/** Bounds on subject/baseline, and optionally on the subject's own figure; the table shows PASS or FAIL against them. */
export interface Target {
  minRatio?: number;
  maxRatio?: number;
  /**
   * An absolute requirement on the subject's median (in the scenario's unit), judged alongside the ratio bounds:
   * for requirements stated as a figure (e.g. p99 under 1 ms) rather than relative to a baseline.
   */
  maxSubject?: number;
}

export interface ScenarioContext {
  /** Progress and environment notes; goes to stderr so the table on stdout stays clean. */
  log(line: string): void;
}

export interface Scenario {
  /** Kebab-case; what the command line names. */
  name: string;
  /** One line: what subject and baseline are. */
  description: string;
  /** Unit of Measurement.value, e.g. 'events/s'. */
  unit: string;
  /** Whether a larger value is better; only used to word the table, ratios are always subject/baseline. */
  higherIsBetter: boolean;
  /** Measured rounds after the warm-up (default 5). */
  rounds?: number;
  /** Rounds run and discarded first, so JIT, connection pools and caches are warm (default 1). */
  warmupRounds?: number;
  target?: Target;
  /** Must leave nothing behind that teardown() cannot remove, even when it throws halfway. */
  setup(context: ScenarioContext): Promise<void>;
  /** Untimed preparation of one round (e.g. staging rows); the returned halves are what is timed. */
  round(index: number, context: ScenarioContext): Promise<Round>;
  /** Runs after setup() whether it, or any round, failed; must tolerate a partial setup. */
  teardown(): Promise<void>;
}

export interface RoundResult {
  index: number;
  warmup: boolean;
  baseline: Measurement;
  subject: Measurement;
  ratio: number;
}

export interface ScenarioResult {
  scenario: Scenario;
  rounds: RoundResult[];
  baselineMedian: number;
  subjectMedian: number;
  /** Median of the per-round ratios: each pair ran back to back, so a slowdown of the whole machine cancels. */
  ratio: number;
  ratioMin: number;
  ratioMax: number;
  verdict: 'PASS' | 'FAIL' | '-';
  error?: unknown;
  wallMs: number;
}

export interface RunOptions {
  /** Overrides every scenario's rounds. */
  rounds?: number;
  warmupRounds?: number;
  log?: (line: string) => void;
  /** Checked between rounds; lets Ctrl-C end a run through teardown instead of leaking databases. */
  aborted?: () => boolean;
}

/** Times `work`, which must process `units` things, and reports units per second. */
export async function measureRate(units: number, work: () => Promise<void>): Promise<Measurement> {
  const started = process.hrtime.bigint();
  await work();
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { value: units / (elapsedMs / 1000), elapsedMs };
}

/** Times `work` and reports its duration in milliseconds (for scenarios where lower is better). */
export async function measureDuration(work: () => Promise<void>): Promise<Measurement> {
  const started = process.hrtime.bigint();
  await work();
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { value: elapsedMs, elapsedMs };
}

// A collection started by one side's garbage must not land in the other side's timing. --expose-gc
// cannot be passed through scripts/run-ts.js, so the flag is set at run time; gc is then only reachable
// from a fresh context.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

class Aborted extends Error {
  constructor() {
    super('interrupted before all rounds ran');
  }
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function judge(ratio: number, target: Target | undefined, subject?: number): ScenarioResult['verdict'] {
  if (!target || (target.minRatio === undefined && target.maxRatio === undefined && target.maxSubject === undefined)) return '-';
  const ratioBound = target.minRatio !== undefined || target.maxRatio !== undefined;
  if (ratioBound && !Number.isFinite(ratio)) return 'FAIL';
  if (target.minRatio !== undefined && ratio < target.minRatio) return 'FAIL';
  if (target.maxRatio !== undefined && ratio > target.maxRatio) return 'FAIL';
  if (target.maxSubject !== undefined && !(subject !== undefined && Number.isFinite(subject) && subject <= target.maxSubject))
    return 'FAIL';
  return 'PASS';
}

export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<ScenarioResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const context: ScenarioContext = { log: (line) => log(`  [${scenario.name}] ${line}`) };
  const warmups = options.warmupRounds ?? scenario.warmupRounds ?? 1;
  const measured = options.rounds ?? scenario.rounds ?? 5;
  const rounds: RoundResult[] = [];
  const started = Date.now();
  let error: unknown;

  log(`${scenario.name}: ${scenario.description}`);
  try {
    await scenario.setup(context);
    for (let index = 0; index < warmups + measured; index++) {
      if (options.aborted?.()) throw new Aborted();
      const round = await scenario.round(index, context);
      // Alternate who goes first so neither side always inherits the other's leftovers (dirty pages,
      // a broker log that just grew, a cooling CPU).
      const baselineFirst = index % 2 === 0;
      collectGarbage();
      const first = baselineFirst ? await round.baseline() : await round.subject();
      collectGarbage();
      const second = baselineFirst ? await round.subject() : await round.baseline();
      const baseline = baselineFirst ? first : second;
      const subject = baselineFirst ? second : first;
      const result: RoundResult = { index, warmup: index < warmups, baseline, subject, ratio: subject.value / baseline.value };
      rounds.push(result);
      log(
        `  round ${index + 1}/${warmups + measured}${result.warmup ? ' (warm-up)' : ''}: ` +
          `baseline ${formatNumber(baseline.value)} ${scenario.unit} in ${baseline.elapsedMs.toFixed(0)} ms, ` +
          `subject ${formatNumber(subject.value)} ${scenario.unit} in ${subject.elapsedMs.toFixed(0)} ms, ` +
          `ratio ${result.ratio.toFixed(2)}`,
      );
    }
  } catch (caught) {
    error = caught;
    const detail = caught instanceof Aborted ? caught.message : caught instanceof Error ? (caught.stack ?? caught.message) : String(caught);
    log(`  ${scenario.name} failed: ${detail}`);
  } finally {
    try {
      await scenario.teardown();
    } catch (caught) {
      // A failed cleanup is reported but must not hide the measurement or the first error.
      log(`  ${scenario.name} teardown failed: ${caught instanceof Error ? caught.message : String(caught)}`);
      error ??= caught;
    }
  }

  const kept = rounds.filter((round) => !round.warmup);
  const ratios = kept.map((round) => round.ratio);
  const ratio = median(ratios);
  const subjectMedian = median(kept.map((round) => round.subject.value));
  return {
    scenario,
    rounds,
    baselineMedian: median(kept.map((round) => round.baseline.value)),
    subjectMedian,
    ratio,
    ratioMin: ratios.length ? Math.min(...ratios) : Number.NaN,
    ratioMax: ratios.length ? Math.max(...ratios) : Number.NaN,
    // An errored scenario fails even without a target: a silent crash must not read as green.
    verdict: error !== undefined ? 'FAIL' : judge(ratio, scenario.target, subjectMedian),
    error,
    wallMs: Date.now() - started,
  };
}

export function machineInfo(): string[] {
  const cpus = os.cpus();
  const models = [...new Set(cpus.map((cpu) => cpu.model.trim()))].join(', ');
  const load = os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
  return [
    `node ${process.version} (${process.platform}/${process.arch}, v8 ${process.versions.v8})`,
    `cpus ${cpus.length} × ${models || 'unknown'}; available parallelism ${os.availableParallelism()}`,
    `memory ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB total, ${(os.freemem() / 2 ** 30).toFixed(1)} GiB free; load ${load}`,
  ];
}

export function formatTable(results: readonly ScenarioResult[]): string {
  const header = ['scenario', 'unit', 'baseline', 'subject', 'ratio', 'ratio range', 'rounds', 'wall', 'target', 'result'];
  const rows = results.map((result) => {
    const { scenario } = result;
    const kept = result.rounds.filter((round) => !round.warmup).length;
    return [
      scenario.name,
      `${scenario.unit} (${scenario.higherIsBetter ? 'higher' : 'lower'} is better)`,
      formatNumber(result.baselineMedian),
      formatNumber(result.subjectMedian),
      formatRatio(result.ratio),
      Number.isFinite(result.ratioMin) ? `${formatRatio(result.ratioMin)}–${formatRatio(result.ratioMax)}` : '-',
      String(kept),
      `${(result.wallMs / 1000).toFixed(0)} s`,
      formatTarget(scenario.target, scenario.unit),
      result.error !== undefined ? 'FAIL (error)' : result.verdict,
    ];
  });
  const numeric = new Set([2, 3, 4, 6, 7]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (numeric.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

function formatTarget(target: Target | undefined, unit: string): string {
  const parts: string[] = [];
  if (target?.minRatio !== undefined) parts.push(`≥ ${target.minRatio}`);
  if (target?.maxRatio !== undefined) parts.push(`≤ ${target.maxRatio}`);
  if (target?.maxSubject !== undefined) parts.push(`subject ≤ ${target.maxSubject} ${unit}`);
  return parts.join(', ') || '-';
}

function formatRatio(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : '-';
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '-';
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(3);
}
