import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { InProcessBroker } from '@enforcement/events';
import {
  httpMetricsMiddleware,
  markRoutePattern,
  Metrics,
  ServiceTracing,
  type TracedRequest,
  type TracedResponse,
} from '@enforcement/observability';
import type { DestinationStream, Logger as Pino } from 'pino';
import { loadServiceConfig, processEnv, type ServiceConfig, type ServiceName, type ServiceSettings } from './config/service-config';
import { serveApiDocs } from './http/api-docs';
import { ApiErrorFilter } from './http/api-error.filter';
import { answerClientErrorClearly } from './http/client-errors';
import { drainKeptAliveConnectionsOnClose } from './http/graceful-close';
import { FASTIFY_OPTIONS, hardenHttp } from './http/request-hardening';
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
  const app = await NestFactory.create<NestFastifyApplication>(
    service.rootModule({ config: options.config, logger, broker: options.broker, tracing }),
    // A URL or headers too large, or a request Node cannot parse, is refused in the platform's error format too.
    new FastifyAdapter({ ...FASTIFY_OPTIONS, clientErrorHandler: answerClientErrorClearly }),
    // Bodies are parsed by hardenHttp, with the platform's limits and checks.
    { logger: new ServiceLogRouter(serviceLogger), bodyParser: false },
  );
  const fastify = app.getHttpAdapter().getInstance();
  // Each request runs in its own server span (the caller's traceparent honoured), as this service's work. Fastify
  // hooks rather than middleware: the hooks run before middie's, and cost a request less.
  fastify.addHook('onRequest', (request, reply, done) =>
    asService(() => tracing.traceRequest(request.raw as TracedRequest, reply.raw as TracedResponse, done)),
  );
  // Before the body parsers, so requests refused while their body is read are timed and counted too.
  const metrics = httpMetricsMiddleware(app.get(Metrics));
  fastify.addHook('onRequest', (request, reply, done) => metrics(request.raw, reply.raw, done));
  // The route pattern names the request's series and span once its body is read.
  fastify.addHook('preHandler', (request, _reply, done) => {
    markRoutePattern(request);
    done();
  });
  hardenHttp(app, { corsOrigins: options.config.http.corsOrigins, accessLog: logger });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiErrorFilter());
  // On close (SIGTERM): requests in flight finish, then their kept-alive connections close instead of
  // holding the shutdown off; the relay, consumers, jobs and database then stop in Nest's shutdown hooks.
  drainKeptAliveConnectionsOnClose(app.getHttpServer());
  if (options.handleSignals) app.enableShutdownHooks();

  serveApiDocs(app, service, options.config.http.apiDocs);

  if (options.listen === false) {
    await app.init();
    // Fastify answers through its server only once ready (supertest binds app.getHttpServer() itself).
    await fastify.ready();
  } else await app.listen(options.config.service.port, options.config.service.host);
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
