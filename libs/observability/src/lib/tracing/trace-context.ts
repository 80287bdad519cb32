import { context, defaultTextMapGetter, defaultTextMapSetter, ROOT_CONTEXT, trace, type Context, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/** The W3C header (and Kafka header) that carries a span's context from one process to the next. */
export const TRACEPARENT_HEADER = 'traceparent';

const propagator = new W3CTraceContextPropagator();

/**
 * Without a context manager the OpenTelemetry API forgets the active span at the first await, so nothing
 * would reach the outbox or the logs. One per process, shared by the services of embedded mode.
 */
export function ensureTraceContextManager(): void {
  const manager = new AsyncLocalStorageContextManager().enable();
  // False when one is registered already (another service of this process, or a test): that one keeps working.
  if (!context.setGlobalContextManager(manager)) manager.disable();
}

/** The traceparent of the span active in `from` (now, by default); undefined outside any valid span. */
export function traceparentOf(from: Context = context.active()): string | undefined {
  const carrier: Record<string, string> = {};
  propagator.inject(from, carrier, defaultTextMapSetter);
  return carrier[TRACEPARENT_HEADER];
}

/**
 * The remote span context a traceparent names, as a parent for the next span. A missing or malformed value
 * gives the root context: a bad header starts a new trace instead of failing the request or the event.
 */
export function contextFromTraceparent(traceparent: string | null | undefined): Context {
  if (!traceparent) return ROOT_CONTEXT;
  return propagator.extract(ROOT_CONTEXT, { [TRACEPARENT_HEADER]: traceparent }, defaultTextMapGetter);
}

/** The ids logs carry, of the span active now; empty outside any valid span. */
export function activeTraceIds(): { trace_id?: string; span_id?: string } {
  const span = trace.getSpan(context.active());
  const spanContext = span?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

/** The span active now (an HTTP request's, a consumer's), to link other traces' work to it. */
export function activeSpan(): Span | undefined {
  return trace.getSpan(context.active());
}

/** Runs `work` with `parent` as the active context: what it logs and emits belongs to that trace. */
export function withTraceContext<T>(parent: Context, work: () => T): T {
  return context.with(parent, work);
}
