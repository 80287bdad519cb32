import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { EVENT_TRANSPORT, OutboxRelay, type EventTransport } from '@enforcement/events';
import { Metrics } from '@enforcement/observability';
import type { ServiceConfig } from '../config/service-config';
import { SERVICE_CONFIG } from '../tokens';

/**
 * The gauges of the event backbone, read at each scrape from where they are true: the outbox table (an indexed
 * count and the oldest unsent row) and the transport (Kafka's offsets, or the in-process broker's queue).
 */
@Injectable()
export class RuntimeMetricsService implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly relay: OutboxRelay,
    @Inject(EVENT_TRANSPORT) private readonly transport: EventTransport,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  onModuleInit(): void {
    this.metrics.sampleOnScrape(async () => {
      const status = await this.relay.status();
      this.metrics.outboxBacklog.set(status.pending);
      const age = status.oldestPendingAt ? (Date.now() - status.oldestPendingAt.getTime()) / 1000 : 0;
      this.metrics.outboxOldestPendingAge.set(Math.max(0, age));
    });
    this.metrics.sampleOnScrape(async () => {
      // The consumer group is the service's name (EventsModule subscribes under it).
      const lags = (await this.transport.consumerLag?.(this.config.service.name)) ?? [];
      this.metrics.consumerLag.reset();
      for (const { topic, partition, lag } of lags) this.metrics.consumerLag.set({ topic, partition: String(partition) }, lag);
    });
  }
}
