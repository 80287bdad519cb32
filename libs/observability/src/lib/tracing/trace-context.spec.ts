import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { ServiceTracing } from './service-tracing';
import { activeTraceIds, contextFromTraceparent, traceparentOf } from './trace-context';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${SPAN_ID}-01`;

describe('trace context', () => {
  const tracing = new ServiceTracing({ serviceName: 'recording', exporter: 'none', spanExporter: new InMemorySpanExporter() });

  it('reads a traceparent into a context and writes the same traceparent back out', () => {
    const parent = contextFromTraceparent(TRACEPARENT);

    expect(trace.getSpanContext(parent)).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, isRemote: true });
    expect(traceparentOf(parent)).toBe(TRACEPARENT);
  });

  it.each([
    undefined,
    null,
    '',
    'garbage',
    `00-${'0'.repeat(32)}-${SPAN_ID}-01`,
    `00-${TRACE_ID}-${'0'.repeat(16)}-01`,
    `00-${TRACE_ID}-${SPAN_ID}`,
  ])('starts over from the root on a missing or malformed traceparent (%p)', (header) => {
    const parent = contextFromTraceparent(header);

    expect(trace.getSpanContext(parent)).toBeUndefined();
    expect(traceparentOf(parent)).toBeUndefined();
  });

  it('has no traceparent and no log ids outside any span', () => {
    expect(traceparentOf(ROOT_CONTEXT)).toBeUndefined();
    expect(context.with(ROOT_CONTEXT, () => activeTraceIds())).toEqual({});
  });

  it('keeps the active span across awaits: the ids logged and written out are the running span`s', async () => {
    const seen = await tracing.inSpan('work', { parent: contextFromTraceparent(TRACEPARENT) }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { ids: activeTraceIds(), traceparent: traceparentOf() };
    });

    expect(seen.ids.trace_id).toBe(TRACE_ID);
    expect(seen.ids.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(seen.ids.span_id).not.toBe(SPAN_ID);
    expect(seen.traceparent).toBe(`00-${TRACE_ID}-${seen.ids.span_id}-01`);
  });
});
