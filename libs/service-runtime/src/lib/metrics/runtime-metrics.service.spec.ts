import type { EventTransport, OutboxRelay, PartitionLag, RelayStatus } from '@enforcement/events';
import { Metrics } from '@enforcement/observability';
import type { ServiceConfig } from '../config/service-config';
import { eventMetricsOf } from './event-metrics';
import { RuntimeMetricsService } from './runtime-metrics.service';

function line(text: string, prefix: string): string[] {
  return text.split('\n').filter((candidate) => candidate.startsWith(prefix));
}

describe(RuntimeMetricsService.name, () => {
  let status: RelayStatus;
  let lags: PartitionLag[];
  const groups: string[] = [];
  let metrics: Metrics;

  beforeEach(() => {
    status = { pending: 0, oldestPendingAt: null, lastError: null, consecutiveFailures: 0 };
    lags = [];
    metrics = new Metrics('recording', { processMetrics: false });
    const relay = { status: async () => status } as unknown as OutboxRelay;
    const transport = {
      consumerLag: async (group: string) => {
        groups.push(group);
        return lags;
      },
    } as unknown as EventTransport;
    const config = { service: { name: 'recording' } } as ServiceConfig;
    new RuntimeMetricsService(metrics, relay, transport, config).onModuleInit();
  });

  it('reads the outbox backlog and the age of its oldest row at each scrape, 0 when nothing waits', async () => {
    let text = await metrics.scrape();
    expect(line(text, 'outbox_backlog_events')).toEqual(['outbox_backlog_events{service="recording"} 0']);
    expect(line(text, 'outbox_oldest_pending_age_seconds')).toEqual(['outbox_oldest_pending_age_seconds{service="recording"} 0']);

    status = { ...status, pending: 4, oldestPendingAt: new Date(Date.now() - 90_000) };
    text = await metrics.scrape();
    expect(line(text, 'outbox_backlog_events')).toEqual(['outbox_backlog_events{service="recording"} 4']);
    const age = Number(line(text, 'outbox_oldest_pending_age_seconds')[0].split(' ')[1]);
    expect(age).toBeGreaterThanOrEqual(90);
    expect(age).toBeLessThan(100);
  });

  it("reports the service's own group's lag per partition, and drops partitions no longer reported", async () => {
    lags = [
      { topic: 'enforcement.certificates.v1', partition: 0, lag: 2 },
      { topic: 'enforcement.certificates.v1', partition: 1, lag: 0 },
    ];
    let text = await metrics.scrape();
    expect(groups.at(-1)).toBe('recording');
    expect(line(text, 'consumer_lag_events{')).toEqual([
      'consumer_lag_events{topic="enforcement.certificates.v1",partition="0",service="recording"} 2',
      'consumer_lag_events{topic="enforcement.certificates.v1",partition="1",service="recording"} 0',
    ]);
    lags = [{ topic: 'enforcement.certificates.v1', partition: 1, lag: 5 }];
    text = await metrics.scrape();
    expect(line(text, 'consumer_lag_events{')).toEqual([
      'consumer_lag_events{topic="enforcement.certificates.v1",partition="1",service="recording"} 5',
    ]);
  });

  it("feeds the backbone's reports into the service's counters", async () => {
    const events = eventMetricsOf(metrics);
    events.relayed('enforcement.cases.v1', 3);
    events.relayFailed('enforcement.cases.v1');
    events.deadLettered('enforcement.x.v1.Thing');
    events.redeliverySkipped('enforcement.x.v1.Thing');
    const text = await metrics.scrape();
    expect(line(text, 'relay_published_events_total{')).toEqual([
      'relay_published_events_total{topic="enforcement.cases.v1",service="recording"} 3',
    ]);
    expect(line(text, 'relay_publish_errors_total{')).toEqual([
      'relay_publish_errors_total{topic="enforcement.cases.v1",service="recording"} 1',
    ]);
    expect(line(text, 'events_dead_lettered_total{')).toEqual([
      'events_dead_lettered_total{event_type="enforcement.x.v1.Thing",service="recording"} 1',
    ]);
    expect(line(text, 'inbox_redeliveries_skipped_total{')).toEqual([
      'inbox_redeliveries_skipped_total{event_type="enforcement.x.v1.Thing",service="recording"} 1',
    ]);
  });
});
