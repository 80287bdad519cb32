// Metrics (prom-client, one registry per service) and trace context (W3C, OpenTelemetry) for every service.
export * from './lib/tracing/trace-context';
export * from './lib/tracing/service-tracing';
export { SpanKind } from '@opentelemetry/api';
export * from './lib/metrics/metric-names';
export * from './lib/metrics/metrics.service';
export * from './lib/metrics/http-metrics';
export * from './lib/metrics/metrics.controller';
export * from './lib/metrics/metrics.module';
export * from './lib/probe-paths';
