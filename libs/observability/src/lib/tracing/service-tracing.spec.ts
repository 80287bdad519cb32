import { EventEmitter } from 'node:events';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { ServiceTracing, type TracedRequest } from './service-tracing';
import { activeSpan, activeTraceIds, contextFromTraceparent, traceparentOf } from './trace-context';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

class FakeResponse extends EventEmitter {
  statusCode = 200;
}

describe(ServiceTracing.name, () => {
  let exporter: InMemorySpanExporter;
  let sut: ServiceTracing;

  beforeEach(() => {
    exporter = new InMemorySpanExporter();
    sut = new ServiceTracing({ serviceName: 'publicity', exporter: 'none', spanExporter: exporter });
  });

  /** Runs one request through the span middleware; what the handler saw of the trace, once it has answered. */
  async function request(headers: TracedRequest['headers'], statusCode = 200) {
    const response = new FakeResponse();
    const req: TracedRequest = { method: 'POST', headers };
    const seen = await new Promise<ReturnType<typeof activeTraceIds>>((resolve) =>
      sut.traceRequest(req, response, () => {
        void (async () => {
          await new Promise((wait) => setTimeout(wait, 1));
          req.route = { path: '/cases/:caseId/steps' };
          resolve(activeTraceIds());
        })();
      }),
    );
    response.statusCode = statusCode;
    response.emit('finish');
    response.emit('close');
    return { seen, spans: exporter.getFinishedSpans() };
  }

  it('honours an incoming traceparent: the request span is its child, in its trace, and the handler runs in it', async () => {
    const { seen, spans } = await request({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` });

    expect(spans).toHaveLength(1);
    const [span] = spans;
    expect(span.spanContext().traceId).toBe(TRACE_ID);
    expect(span.parentSpanContext?.spanId).toBe(SPAN_ID);
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.name).toBe('POST /cases/:caseId/steps');
    expect(span.attributes['http.response.status_code']).toBe(200);
    expect(span.resource.attributes['service.name']).toBe('publicity');
    expect(seen).toEqual({ trace_id: TRACE_ID, span_id: span.spanContext().spanId });
  });

  it('starts a new trace without (or with a forged) traceparent, and marks a server error', async () => {
    const first = await request({}, 503);
    const second = await request({ traceparent: 'not-a-traceparent' });

    const [a, b] = second.spans;
    expect(a.spanContext().traceId).not.toBe(b.spanContext().traceId);
    expect(a.parentSpanContext).toBeUndefined();
    expect(b.parentSpanContext).toBeUndefined();
    expect(a.status.code).toBe(SpanStatusCode.ERROR);
    expect(first.seen.trace_id).toBe(a.spanContext().traceId);
  });

  it('makes no span for probes and scrapes', async () => {
    for (const url of ['/health', '/metrics', '/health?full=1']) {
      const response = new FakeResponse();
      let ran = false;
      sut.traceRequest({ method: 'GET', url, headers: {} }, response, () => (ran = true));
      response.emit('finish');
      expect(ran).toBe(true);
    }
    await request({});
    expect(exporter.getFinishedSpans()).toHaveLength(1);
  });

  it('runs work in a child of a stored context, linked to the span that caused it, and ends it even when the work fails', async () => {
    let requestSpanId = '';
    await expect(
      sut.inSpan('outer', { parent: contextFromTraceparent(undefined) }, async () => {
        requestSpanId = activeSpan()?.spanContext().spanId ?? '';
        await sut.inSpan(
          'case step',
          { parent: contextFromTraceparent(`00-${TRACE_ID}-${SPAN_ID}-01`), linked: activeSpan() },
          async () => {
            throw new Error('refused');
          },
        );
      }),
    ).rejects.toThrow('refused');

    const step = exporter.getFinishedSpans().find((span) => span.name === 'case step');
    expect(step?.spanContext().traceId).toBe(TRACE_ID);
    expect(step?.parentSpanContext?.spanId).toBe(SPAN_ID);
    expect(step?.links.map((link) => link.context.spanId)).toEqual([requestSpanId]);
    expect(step?.status.code).toBe(SpanStatusCode.ERROR);
  });

  describe('with nothing to export spans to (the default)', () => {
    const off = new ServiceTracing({ serviceName: 'recording', exporter: 'none' });
    afterAll(() => off.onApplicationShutdown());

    it("continues the caller's trace and flags in a span of its own, for a request and for work", async () => {
      for (const flags of ['01', '00']) {
        const response = new FakeResponse();
        const traceparent = `00-${TRACE_ID}-${SPAN_ID}-${flags}`;
        const seen = await new Promise<string | undefined>((resolve) =>
          off.traceRequest({ method: 'GET', headers: { traceparent } }, response, () => resolve(traceparentOf())),
        );
        expect(seen).toMatch(new RegExp(`^00-${TRACE_ID}-(?!${SPAN_ID})[0-9a-f]{16}-${flags}$`));
        const inWork = await off.inSpan('work', { parent: contextFromTraceparent(traceparent) }, async () => traceparentOf());
        expect(inWork).toMatch(new RegExp(`^00-${TRACE_ID}-(?!${SPAN_ID})[0-9a-f]{16}-${flags}$`));
        expect(inWork).not.toBe(seen);
        // Nothing waits for the answer: no listener is left on it.
        expect(response.listenerCount('finish') + response.listenerCount('close')).toBe(0);
      }
    });

    it('starts a new, sampled trace for a request without one', async () => {
      const first = await off.inSpan('work', { parent: contextFromTraceparent(undefined) }, async () => traceparentOf());
      const second = await off.inSpan('work', { parent: contextFromTraceparent(undefined) }, async () => traceparentOf());
      expect(first).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      expect(first?.slice(3, 35)).not.toBe(second?.slice(3, 35));
    });
  });

  it('makes real trace ids with the exporter off (the default)', async () => {
    const off = new ServiceTracing({ serviceName: 'recording', exporter: 'none' });
    const ids = await off.inSpan('work', { parent: contextFromTraceparent(undefined) }, async () => activeTraceIds());
    expect(ids.trace_id).toMatch(/^[0-9a-f]{32}$/);
    await off.onApplicationShutdown();
  });
});
