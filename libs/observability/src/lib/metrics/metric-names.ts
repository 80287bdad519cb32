/**
 * The metric names every service exposes at /metrics. Fixed: alerting rules, dashboards and deploy/README.md use
 * them, so a rename is a breaking change for operators.
 */
export const COMMON_METRIC_NAMES = [
  'http_request_duration_seconds',
  'outbox_backlog_events',
  'outbox_oldest_pending_age_seconds',
  'relay_published_events_total',
  'relay_publish_errors_total',
  'consumer_lag_events',
  'events_dead_lettered_total',
  'inbox_redeliveries_skipped_total',
] as const;

/** Metrics only the service that has the facts exposes. */
export const SERVICE_METRIC_NAMES = {
  recording: ['evidence_uploaded_bytes_total', 'evidence_fixity_failures_total'],
  publicity: ['disclosures_overdue'],
  'legal-review': ['reviews_overdue'],
  certificates: [],
} as const satisfies Record<string, readonly string[]>;

/** The route label of a request no route matched: unknown paths and bodies refused before routing. */
export const UNMATCHED_ROUTE = 'unmatched';

/** The status label of a request whose client went away before the answer was complete (nginx's convention). */
export const CLIENT_CLOSED_STATUS = '499';
