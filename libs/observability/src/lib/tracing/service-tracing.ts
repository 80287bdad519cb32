import {
  context,
  isSpanContextValid,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Context,
  type Link,
  type Span,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  RandomIdGenerator,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { isProbeOrScrape } from '../probe-paths';
import { contextFromTraceparent, ensureTraceContextManager, TRACEPARENT_HEADER } from './trace-context';

export type TracesExporter = 'none' | 'otlp' | 'console';

export interface TracingOptions {
  serviceName: string;
  exporter: TracesExporter;
  /** OTLP/HTTP base URL (…:4318); spans go to <endpoint>/v1/traces. */
  otlpEndpoint?: string;
  /** Tests hand in their own exporter (in memory); exported at once, not in batches. */
  spanExporter?: SpanExporter;
}

/** The bits of an HTTP request and response a request span reads; Express's and Node's objects fit. */
export interface TracedRequest {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  route?: { path?: unknown };
}

export interface TracedResponse {
  statusCode: number;
  once(event: 'finish' | 'close', listener: () => void): unknown;
}

function processorFor(options: TracingOptions): SpanProcessor[] {
  if (options.spanExporter) return [new SimpleSpanProcessor(options.spanExporter)];
  if (options.exporter === 'console') return [new SimpleSpanProcessor(new ConsoleSpanExporter())];
  if (options.exporter === 'otlp') {
    const base = (options.otlpEndpoint ?? 'http://localhost:4318').replace(/\/+$/, '');
    return [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${base}/v1/traces` }))];
  }
  return [];
}

/**
 * One service's tracer. Spans are always made, so trace ids reach the logs, the outbox and the Kafka headers
 * even with the exporter off (the default); the exporter only decides whether they leave the process. Each
 * service has its own provider, so in embedded mode every span still names the service that made it.
 *
 * With nothing to export them to, spans only carry ids: a span of the SDK (its attributes, times, links, name)
 * that nobody reads was a fiftieth of a recorded step's CPU, two per step.
 */
export class ServiceTracing {
  readonly tracer: Tracer;
  private readonly provider: BasicTracerProvider;
  /** Whether spans go anywhere: otherwise they carry ids only. */
  private readonly recording: boolean;
  private readonly ids = new RandomIdGenerator();

  constructor(readonly options: TracingOptions) {
    ensureTraceContextManager();
    const spanProcessors = processorFor(options);
    this.recording = spanProcessors.length > 0;
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': options.serviceName }),
      spanProcessors,
    });
    this.tracer = this.provider.getTracer(`enforcement.${options.serviceName}`);
  }

  /**
   * The SDK's span when spans are exported; else a span with ids only, as the SDK's sampler would flag it: the
   * parent's trace and flags (sampled for a new trace), a span id of its own.
   */
  private startSpan(name: string, options: SpanOptions, parent: Context): Span {
    if (this.recording) return this.tracer.startSpan(name, options, parent);
    const parentSpan = trace.getSpanContext(parent);
    const inherited = parentSpan && isSpanContextValid(parentSpan) ? parentSpan : undefined;
    return trace.wrapSpanContext({
      traceId: inherited?.traceId ?? this.ids.generateTraceId(),
      spanId: this.ids.generateSpanId(),
      traceFlags: inherited?.traceFlags ?? TraceFlags.SAMPLED,
    });
  }

  /**
   * Runs the rest of an HTTP request in a server span: the child of the caller's `traceparent` when it sent one,
   * else the root of a new trace. Named by its route once routing has found it.
   */
  traceRequest(request: TracedRequest, response: TracedResponse, next: () => void): void {
    if (isProbeOrScrape(request.url)) return next();
    const header = request.headers[TRACEPARENT_HEADER];
    const parent = contextFromTraceparent(Array.isArray(header) ? header[0] : header);
    const method = request.method ?? 'GET';
    const span = this.startSpan(method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': method } }, parent);
    // A span that carries ids only has nothing to name or end.
    if (!this.recording) return context.with(trace.setSpan(parent, span), next);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const route = typeof request.route?.path === 'string' ? request.route.path : undefined;
      if (route) {
        span.updateName(`${method} ${route}`);
        span.setAttribute('http.route', route);
      }
      span.setAttribute('http.response.status_code', response.statusCode);
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    response.once('finish', end);
    response.once('close', end);
    context.with(trace.setSpan(parent, span), next);
  }

  /**
   * Runs `work` in a span whose parent is the given context (an event's headers, a case's stored trace), linked
   * to `linked` when given: the span that caused the work in another trace. The span records a thrown error.
   */
  async inSpan<T>(
    name: string,
    options: { parent: Context; kind?: SpanKind; attributes?: Record<string, string>; linked?: Span },
    work: () => Promise<T>,
  ): Promise<T> {
    const links: Link[] = options.linked ? [{ context: options.linked.spanContext() }] : [];
    const span = this.startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, links }, options.parent);
    try {
      return await context.with(trace.setSpan(options.parent, span), work);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  }

  /** Exports what is still buffered, then stops; called when the service closes. */
  async onApplicationShutdown(): Promise<void> {
    await this.provider.shutdown();
  }
}
