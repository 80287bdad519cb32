import { COMMON_METRIC_NAMES } from './metric-names';
import { Metrics } from './metrics.service';

function sampleLine(text: string, metric: string): string | undefined {
  return text.split('\n').find((line) => line.startsWith(metric));
}

describe(Metrics.name, () => {
  it('exposes every common metric, each labelled with the service', async () => {
    const text = await new Metrics('publicity', { processMetrics: false }).scrape();
    for (const name of COMMON_METRIC_NAMES) expect(text).toContain(`# TYPE ${name} `);
    expect(sampleLine(text, 'outbox_backlog_events')).toBe('outbox_backlog_events{service="publicity"} 0');
  });

  it('keeps the metrics of services in one process apart (embedded mode): same names, own registries', async () => {
    const recording = new Metrics('recording', { processMetrics: false });
    const publicity = new Metrics('publicity', { processMetrics: false });
    recording.relayPublished.inc({ topic: 'case-events' }, 3);
    expect(sampleLine(await recording.scrape(), 'relay_published_events_total{')).toBe(
      'relay_published_events_total{topic="case-events",service="recording"} 3',
    );
    expect(await publicity.scrape()).not.toContain('relay_published_events_total{');
  });

  it("exposes recording's own counters from its start, at 0", async () => {
    const text = await new Metrics('recording', { processMetrics: false }).scrape();
    expect(sampleLine(text, 'evidence_uploaded_bytes_total')).toBe('evidence_uploaded_bytes_total{service="recording"} 0');
    expect(text).toContain('evidence_fixity_failures_total{source="sweep",service="recording"} 0');
  });

  it('registers a service-specific metric once, however often it is asked for', async () => {
    const metrics = new Metrics('recording', { processMetrics: false });
    metrics.evidenceUploadedBytes().inc(10);
    metrics.evidenceUploadedBytes().inc(5);
    metrics.evidenceFixityFailures().inc({ source: 'sweep' });
    const text = await metrics.scrape();
    expect(sampleLine(text, 'evidence_uploaded_bytes_total')).toBe('evidence_uploaded_bytes_total{service="recording"} 15');
    expect(text.split('\n').filter((line) => line.startsWith('evidence_fixity_failures_total{'))).toEqual([
      'evidence_fixity_failures_total{source="playback",service="recording"} 0',
      'evidence_fixity_failures_total{source="sweep",service="recording"} 1',
    ]);
    expect(await new Metrics('publicity', { processMetrics: false }).scrape()).not.toContain('evidence_uploaded_bytes_total');
  });

  it('reads scrape-time gauges at each scrape', async () => {
    const metrics = new Metrics('legal-review', { processMetrics: false });
    let overdue = 2;
    metrics.reviewsOverdue(async () => overdue);
    expect(sampleLine(await metrics.scrape(), 'reviews_overdue')).toBe('reviews_overdue{service="legal-review"} 2');
    overdue = 0;
    expect(sampleLine(await metrics.scrape(), 'reviews_overdue')).toBe('reviews_overdue{service="legal-review"} 0');
  });

  it('still answers when a source is down or hangs: the other gauges are read, that one keeps its last value', async () => {
    const metrics = new Metrics('publicity', { processMetrics: false });
    let failing = false;
    metrics.disclosuresOverdue(async () => {
      if (failing) throw new Error('database down');
      return 4;
    });
    metrics.sampleOnScrape(() => new Promise(() => undefined));
    metrics.sampleOnScrape(async () => metrics.outboxBacklog.set(7));
    await metrics.scrape();
    failing = true;
    const text = await metrics.scrape();
    expect(sampleLine(text, 'disclosures_overdue')).toBe('disclosures_overdue{service="publicity"} 4');
    expect(sampleLine(text, 'outbox_backlog_events')).toBe('outbox_backlog_events{service="publicity"} 7');
  }, 10_000);

  it('includes the process metrics by default', async () => {
    expect(await new Metrics('certificates').scrape()).toContain('process_cpu_user_seconds_total{service="certificates"}');
  });
});
