import { COMMON_METRIC_NAMES, Metrics, SERVICE_METRIC_NAMES } from '@enforcement/observability';

export interface AlertRule {
  alert?: string;
  expr?: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleFile {
  groups?: { name?: string; rules?: AlertRule[] }[];
}

export const SEVERITIES = ['critical', 'warning'];

/** Series Prometheus makes itself for every target. */
const PROMETHEUS_SERIES = ['up'];

/** PromQL's own words: aggregations, functions, keywords; anything else in an expression names a series. */
const PROMQL_WORDS = new Set(
  [
    'sum min max avg count group stddev stdvar topk bottomk quantile count_values limitk limit_ratio',
    'by without on ignoring group_left group_right and or unless bool offset atan2',
    'abs absent absent_over_time ceil changes clamp clamp_max clamp_min day_of_month day_of_week day_of_year',
    'days_in_month delta deriv exp floor histogram_quantile histogram_count histogram_sum histogram_fraction',
    'hour idelta increase irate label_join label_replace ln log2 log10 minute month predict_linear rate resets',
    'round scalar sgn sort sort_desc sqrt time timestamp vector year avg_over_time min_over_time max_over_time',
    'sum_over_time count_over_time quantile_over_time stddev_over_time stdvar_over_time last_over_time',
    'present_over_time mad_over_time inf nan',
  ]
    .join(' ')
    .split(' '),
);

/** The series the services expose: the platform's fixed metric names, a histogram's as its three series. */
export async function exposedSeries(): Promise<Set<string>> {
  const names = [...COMMON_METRIC_NAMES, ...Object.values(SERVICE_METRIC_NAMES).flat()];
  const registered = await new Metrics('deploy-check', { processMetrics: false }).registry.getMetricsAsJSON();
  const histograms = new Set(registered.filter((metric) => String(metric.type) === 'histogram').map((metric) => metric.name));
  return new Set([
    ...PROMETHEUS_SERIES,
    ...names.flatMap((name) => (histograms.has(name) ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name])),
  ]);
}

/** The series names an expression reads, without its strings, label matchers, ranges and label lists. */
export function seriesIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const words = [...bare.matchAll(/(?<![\w.:])[A-Za-z_:][\w:]*/g)].map((match) => match[0]);
  return [...new Set(words.filter((word) => !PROMQL_WORDS.has(word.toLowerCase())))];
}

/** Every problem of an alert rule file, one line each: unknown series, and what a rule must carry. */
export function alertRuleProblems(rules: RuleFile, exposed: Set<string>): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const group of rules.groups ?? []) {
    for (const rule of group.rules ?? []) {
      const name = rule.alert ?? '(a rule without alert)';
      if (!rule.alert) problems.push(`${name} in group ${group.name}: only alerting rules belong here`);
      if (seen.has(name)) problems.push(`${name}: the name is used twice`);
      seen.add(name);
      if (!rule.expr?.trim()) problems.push(`${name}: no expr`);
      for (const series of seriesIn(rule.expr ?? '')) {
        if (!exposed.has(series)) problems.push(`${name}: ${series} is not a metric the services expose`);
      }
      if (!rule.for || !/^(\d+(ms|s|m|h|d|w|y))+$/.test(rule.for)) problems.push(`${name}: no for: duration (a blip must not page)`);
      if (!SEVERITIES.includes(rule.labels?.['severity'] ?? '')) problems.push(`${name}: severity must be one of ${SEVERITIES.join(', ')}`);
      if (!rule.annotations?.['summary']?.trim()) problems.push(`${name}: no summary annotation`);
    }
  }
  return problems;
}

/** The series that some alert must watch (issue #14): outbox, lag, dead letters, overdue work, fixity. */
export const WATCHED = [
  'outbox_backlog_events',
  'outbox_oldest_pending_age_seconds',
  'consumer_lag_events',
  'events_dead_lettered_total',
  'disclosures_overdue',
  'reviews_overdue',
  'evidence_fixity_failures_total',
];

export function unwatched(rules: RuleFile): string[] {
  const read = new Set((rules.groups ?? []).flatMap((group) => (group.rules ?? []).flatMap((rule) => seriesIn(rule.expr ?? ''))));
  return WATCHED.filter((series) => !read.has(series));
}
