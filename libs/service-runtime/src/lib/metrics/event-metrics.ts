import type { EventMetrics } from '@enforcement/events';
import type { Metrics } from '@enforcement/observability';

/** The event backbone's reports, into the service's Prometheus counters. */
export function eventMetricsOf(metrics: Metrics): EventMetrics {
  return {
    relayed: (topic, count) => metrics.relayPublished.inc({ topic }, count),
    relayFailed: (topic) => metrics.relayPublishErrors.inc({ topic }),
    deadLettered: (eventType) => metrics.eventsDeadLettered.inc({ event_type: eventType }),
    redeliverySkipped: (eventType) => metrics.inboxRedeliveriesSkipped.inc({ event_type: eventType }),
  };
}
