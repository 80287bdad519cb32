import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** A gauge that needs a query is read at scrape time; one that does not answer in time keeps its last value. */
const SAMPLE_TIMEOUT_MS = 2000;

/** Seconds; from a cached read to a slow report or an upload part. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface MetricsOptions {
  /** Node's process metrics (CPU, memory, event-loop lag, GC); on unless a test wants a bare registry. */
  processMetrics?: boolean;
}

type Sampler = () => Promise<void>;

function withTimeout(work: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((_, reject) => {
    timer = setTimeout(() => reject(new Error('metric sample timed out')), SAMPLE_TIMEOUT_MS);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One service's metrics, in a registry of its own labelled with the service's name: in embedded mode four
 * services share one process, and prom-client's global registry would mix (and refuse) their metrics.
 *
 * Counters are fed where the facts happen; gauges whose truth is in a database or a broker are sampled at
 * scrape time, so nothing has to keep them in step.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
  readonly outboxBacklog: Gauge;
  readonly outboxOldestPendingAge: Gauge;
  readonly relayPublished: Counter<'topic'>;
  readonly relayPublishErrors: Counter<'topic'>;
  readonly consumerLag: Gauge<'topic' | 'partition'>;
  readonly eventsDeadLettered: Counter<'event_type'>;
  readonly inboxRedeliveriesSkipped: Counter<'event_type'>;
  private readonly samplers: Sampler[] = [];
  private evidenceBytes: Counter | undefined;
  private fixityFailures: Counter<'source'> | undefined;

  constructor(
    readonly service: string,
    options: MetricsOptions = {},
  ) {
    this.registry.setDefaultLabels({ service });
    const registers = [this.registry];
    this.httpRequestDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.outboxBacklog = new Gauge({ name: 'outbox_backlog_events', help: 'Outbox rows not yet published', registers });
    this.outboxOldestPendingAge = new Gauge({
      name: 'outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest unpublished outbox row (0 when none)',
      registers,
    });
    this.relayPublished = new Counter({
      name: 'relay_published_events_total',
      help: 'Events the outbox relay published',
      labelNames: ['topic'],
      registers,
    });
    this.relayPublishErrors = new Counter({
      name: 'relay_publish_errors_total',
      help: 'Failed publish attempts of the outbox relay (each retried)',
      labelNames: ['topic'],
      registers,
    });
    this.consumerLag = new Gauge({
      name: 'consumer_lag_events',
      help: "Events on a partition not yet consumed by this service's group",
      labelNames: ['topic', 'partition'],
      registers,
    });
    this.eventsDeadLettered = new Counter({
      name: 'events_dead_lettered_total',
      help: 'Events put in the dead-letter store (handler kept failing, or the bytes broke the contract)',
      labelNames: ['event_type'],
      registers,
    });
    this.inboxRedeliveriesSkipped = new Counter({
      name: 'inbox_redeliveries_skipped_total',
      help: 'Deliveries of events the inbox had already handled, skipped',
      labelNames: ['event_type'],
      registers,
    });
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
    // A service's own series exist from its start, at 0: alerts on their increase see the first one.
    if (service === 'recording') {
      this.evidenceUploadedBytes();
      for (const source of ['playback', 'sweep']) this.evidenceFixityFailures().inc({ source }, 0);
    }
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Registers work that sets gauges from their source just before each scrape. */
  sampleOnScrape(sample: Sampler): void {
    this.samplers.push(sample);
  }

  /** Publicity: decisions past their publication deadline and not yet published, counted at scrape time. */
  disclosuresOverdue(read: () => Promise<number>): Gauge {
    return this.gaugeAtScrape('disclosures_overdue', 'Decisions past their publication deadline and not yet published', read);
  }

  /** Legal review: open reviews past their deadline, counted at scrape time. */
  reviewsOverdue(read: () => Promise<number>): Gauge {
    return this.gaugeAtScrape('reviews_overdue', 'Open legal reviews past their deadline', read);
  }

  private gaugeAtScrape(name: string, help: string, read: () => Promise<number>): Gauge {
    const gauge = new Gauge({ name, help, registers: [this.registry] });
    this.sampleOnScrape(async () => gauge.set(await read()));
    return gauge;
  }

  /** Recording: bytes of evidence stored (upload parts accepted). */
  evidenceUploadedBytes(): Counter {
    this.evidenceBytes ??= new Counter({
      name: 'evidence_uploaded_bytes_total',
      help: 'Bytes of evidence received and stored',
      registers: [this.registry],
    });
    return this.evidenceBytes;
  }

  /** Recording: stored evidence whose bytes no longer match their digest, by who found it (playback or sweep). */
  evidenceFixityFailures(): Counter<'source'> {
    this.fixityFailures ??= new Counter({
      name: 'evidence_fixity_failures_total',
      help: 'Evidence whose stored bytes no longer match their digest',
      labelNames: ['source'],
      registers: [this.registry],
    });
    return this.fixityFailures;
  }

  /** Samples the scrape-time gauges, then renders the registry in Prometheus' text format. */
  async scrape(): Promise<string> {
    // A source that is down must not take the other metrics with it: its gauges keep their last value.
    await Promise.all(this.samplers.map((sample) => withTimeout(sample()).catch(() => undefined)));
    return this.registry.metrics();
  }
}
