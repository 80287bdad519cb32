import { DynamicModule, Global, Inject, Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AuthModule, Public } from '@enforcement/auth';
import {
  EVENT_BACKBONE_ENTITIES,
  EVENT_BACKBONE_MIGRATIONS,
  EventsModule,
  type InProcessBroker,
  type TransportOptions,
} from '@enforcement/events';
import { Metrics, MetricsModule, ServiceTracing } from '@enforcement/observability';
import { PersistenceModule } from '@enforcement/persistence';
import type { Logger } from 'pino';
import type { ServiceConfig } from './config/service-config';
import { HealthController } from './health/health.controller';
import { accessLog, type AccessLogMiddleware } from './logging/access-log';
import { eventMetricsOf } from './metrics/event-metrics';
import { RuntimeMetricsService } from './metrics/runtime-metrics.service';
import { SERVICE_CONFIG } from './tokens';

export interface RuntimeOptions {
  config: ServiceConfig;
  /** The service's own entities and migrations; the event backbone's are added here. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
  /** Embedded mode passes the process-wide broker; standalone services use Kafka. */
  broker?: InProcessBroker;
  logger: Logger;
  /** startService's tracer; specs that build the module themselves get one from the configuration. */
  tracing?: ServiceTracing;
}

function transportOptions(options: RuntimeOptions): TransportOptions {
  const kafka = options.config.events.kafka;
  if (kafka) return { kind: 'kafka', brokers: kafka.brokers, clientId: kafka.clientId, topicPrefix: kafka.topicPrefix };
  if (options.broker) return { kind: 'in-process', broker: options.broker };
  throw new Error('KAFKA_BROKERS is required when a service runs on its own (or start the embedded platform)');
}

const ACCESS_LOG = Symbol('ACCESS_LOG');

/**
 * What every service has: validated config, JSON logs, authentication, its database with migrations
 * applied, the event backbone, and /health.
 */
@Global()
@Module({})
export class RuntimeModule implements NestModule {
  constructor(@Inject(ACCESS_LOG) private readonly accessLog: AccessLogMiddleware) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.accessLog).forRoutes({ path: '*', method: RequestMethod.ALL });
  }

  static forRoot(options: RuntimeOptions): DynamicModule {
    const { config } = options;
    const transport = transportOptions(options);
    const tracing = options.tracing ?? new ServiceTracing({ serviceName: config.service.name, ...config.tracing });
    return {
      module: RuntimeModule,
      imports: [
        TerminusModule,
        // Every route needs a verified bearer token unless it is marked @Public().
        AuthModule.forRoot(config.auth),
        PersistenceModule.forRootAsync({
          useFactory: () => ({
            url: config.database.url,
            sqliteFile: config.database.sqliteFile,
            poolSize: config.database.poolSize,
            batchStatements: config.database.batchStatements,
            entities: [...EVENT_BACKBONE_ENTITIES, ...options.entities],
            migrations: [...EVENT_BACKBONE_MIGRATIONS, ...options.migrations],
          }),
        }),
        // Prometheus scrapes without a token, like the probes read /health.
        MetricsModule.forRoot({ service: config.service.name, controllerDecorators: [Public()] }),
        EventsModule.forRootAsync({
          inject: [Metrics],
          useFactory: (metrics: Metrics) => ({
            serviceName: config.service.name,
            transport,
            relay: config.events.relay,
            consumer: config.events.consumer,
            tracing,
            metrics: eventMetricsOf(metrics),
          }),
        }),
      ],
      controllers: [HealthController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: ServiceTracing, useValue: tracing },
        { provide: ACCESS_LOG, useValue: accessLog(options.logger) },
        RuntimeMetricsService,
      ],
      exports: [SERVICE_CONFIG, ServiceTracing],
    };
  }
}
