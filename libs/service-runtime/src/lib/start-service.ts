import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { InProcessBroker } from '@enforcement/events';
import { httpMetricsMiddleware, Metrics, ServiceTracing, type TracedRequest, type TracedResponse } from '@enforcement/observability';
import type { DestinationStream, Logger as Pino } from 'pino';
import { loadServiceConfig, processEnv, type ServiceConfig, type ServiceName, type ServiceSettings } from './config/service-config';
import { serveApiDocs } from './http/api-docs';
import { ApiErrorFilter } from './http/api-error.filter';
import { answerClientErrorsClearly } from './http/client-errors';
import { drainKeptAliveConnectionsOnClose } from './http/graceful-close';
import { hardenHttp } from './http/request-hardening';
import { createValidationPipe } from './http/validation';
import { createServiceLogger, runAsService, ServiceLogger, ServiceLogRouter } from './logging/service-logger';

/** What a service's root module is built from. */
export interface ServiceContext {
  config: ServiceConfig;
  logger: Pino;
  broker?: InProcessBroker;
  /** The service's tracer, made from its configuration at start-up. */
  tracing?: ServiceTracing;
}

/** What the launchers need to know of a service; each service exports one. */
export interface ServiceDefinition {
  name: ServiceName;
  title: string;
  description: string;
  /** The service's own settings, validated at its boot with the common ones. */
  settings: ServiceSettings;
  rootModule(context: ServiceContext): DynamicModule;
}

export interface StartOptions {
  config: ServiceConfig;
  /** Embedded mode: the process-wide in-process broker. */
  broker?: InProcessBroker;
  /** Standalone processes stop on signals themselves; the embedded launcher stops its services. */
  handleSignals?: boolean;
  /** Tests pass false to get an initialised app without a listening port (supertest binds its own). */
  listen?: boolean;
  /** Where log lines go; standard output unless a test wants to read them. */
  logDestination?: DestinationStream;
}

/** Creates a service's Nest app with the platform's logging, validation, errors and /docs. */
export async function startService(service: ServiceDefinition, options: StartOptions): Promise<INestApplication> {
  const logger = createServiceLogger(service.name, options.config.log.level, options.logDestination);
  const serviceLogger = new ServiceLogger(logger);
  const tracing = new ServiceTracing({ serviceName: service.name, ...options.config.tracing });
  // Embedded mode runs the four services in one process: everything a service starts (its loops, jobs, consumers,
  // server, each request) runs in an async context that names it, for logging. A service alone in its process needs
  // none, and an async context makes every promise of the process dearer.
  const asService: AsService = options.broker ? (work) => runAsService(serviceLogger, work) : (work) => work();
  return asService(() => createApp(service, options, logger, serviceLogger, tracing, asService));
}

type AsService = <T>(work: () => T) => T;

async function createApp(
  service: ServiceDefinition,
  options: StartOptions,
  logger: Pino,
  serviceLogger: ServiceLogger,
  tracing: ServiceTracing,
  asService: AsService,
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    service.rootModule({ config: options.config, logger, broker: options.broker, tracing }),
    // Bodies are parsed by hardenHttp, with the platform's limits and checks.
    { logger: new ServiceLogRouter(serviceLogger), bodyParser: false },
  );
  // Each request runs in its own server span (the caller's traceparent honoured), as this service's work.
  app.use((request: TracedRequest, response: TracedResponse, next: () => void) =>
    asService(() => tracing.traceRequest(request, response, next)),
  );
  // Before the body parsers, so requests refused while their body is read are timed and counted too.
  app.use(httpMetricsMiddleware(app.get(Metrics)));
  hardenHttp(app, { corsOrigins: options.config.http.corsOrigins, accessLog: logger });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiErrorFilter());
  // On close (SIGTERM): requests in flight finish, then their kept-alive connections close instead of
  // holding the shutdown off; the relay, consumers, jobs and database then stop in Nest's shutdown hooks.
  drainKeptAliveConnectionsOnClose(app.getHttpServer());
  // A URL or headers too large, or a request Node cannot parse, is refused in the platform's error format too.
  answerClientErrorsClearly(app.getHttpServer());
  if (options.handleSignals) app.enableShutdownHooks();

  serveApiDocs(app, service, options.config.http.apiDocs);

  if (options.listen === false) await app.init();
  else await app.listen(options.config.service.port, options.config.service.host);
  return app;
}

/** The entry point of a service running as its own process (distributed mode). */
export function runStandalone(service: ServiceDefinition): void {
  let config: ServiceConfig;
  try {
    config = loadServiceConfig(service.settings, processEnv());
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  }
  startService(service, { config, handleSignals: true }).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
