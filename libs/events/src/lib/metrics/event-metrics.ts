/**
 * What the event backbone reports for the service's metrics. The runtime plugs Prometheus in; the backbone itself
 * knows no metrics library, and its tests run without one.
 */
export interface EventMetrics {
  /** The relay published `count` events of a topic. */
  relayed(topic: string, count: number): void;
  /** A publish attempt carrying events of this topic failed (the relay retries it). */
  relayFailed(topic: string): void;
  /** An event went to the dead-letter store; `unreadable` when its envelope could not be decoded. */
  deadLettered(eventType: string): void;
  /** The inbox skipped a delivery of an event it had already handled. */
  redeliverySkipped(eventType: string): void;
}

export const NO_EVENT_METRICS: EventMetrics = {
  relayed: () => undefined,
  relayFailed: () => undefined,
  deadLettered: () => undefined,
  redeliverySkipped: () => undefined,
};

/** The event_type of a dead letter whose bytes were not even an envelope. */
export const UNREADABLE_EVENT_TYPE = 'unreadable';
