import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  type FactoryProvider,
} from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { EventDefinition } from '@enforcement/contracts';
import type { ServiceTracing } from '@enforcement/observability';
import { AsyncResource } from 'node:async_hooks';
import { DataSource } from 'typeorm';
import { EventDispatcher } from './inbox/event-dispatcher';
import type { EventHandlerFn } from './inbox/event-handler';
import { ON_EVENT_METADATA } from './inbox/on-event.decorator';
import type { EventMetrics } from './metrics/event-metrics';
import { TransactionalOutbox } from './outbox/transactional-outbox';
import { DEFAULT_RELAY_OPTIONS, OutboxRelay, type OutboxRelayOptions } from './relay/outbox-relay';
import type { EventPublisher, EventSubscriber, WireMessage } from './transport/event-transport';
import { inProcessTransport, type InProcessBroker } from './transport/in-process-broker';
import { KafkaTransport } from './transport/kafka-transport';

export type TransportOptions =
  | { kind: 'kafka'; brokers: string[]; clientId: string; topicPrefix?: string; redeliveryDelayMs?: number }
  | { kind: 'in-process'; broker: InProcessBroker };

export interface EventsModuleOptions {
  /** The service's name: consumer group, inbox owner and relay lease name. */
  serviceName: string;
  transport: TransportOptions;
  relay?: Partial<Omit<OutboxRelayOptions, 'name'>> & { autoStart?: boolean };
  consumer?: { maxAttempts?: number; retryDelayMs?: number };
  /** Where the relay and the inbox report what they did (the service's Prometheus metrics); nowhere if absent. */
  metrics?: EventMetrics;
  /** The service's tracer: each delivery runs in a consumer span continuing the event's trace. */
  tracing?: ServiceTracing;
}

export const EVENTS_OPTIONS = Symbol('EVENTS_OPTIONS');
export const EVENT_TRANSPORT = Symbol('EVENT_TRANSPORT');
export type EventTransport = EventPublisher & EventSubscriber;

@Injectable()
class EventsLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Events');

  constructor(
    @Inject(EVENTS_OPTIONS) private readonly options: EventsModuleOptions,
    @Inject(EVENT_TRANSPORT) private readonly transport: EventTransport,
    private readonly relay: OutboxRelay,
    private readonly dispatcher: EventDispatcher,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = prototype[method];
        if (typeof fn !== 'function') continue;
        const definition = Reflect.getMetadata(ON_EVENT_METADATA, fn) as EventDefinition | undefined;
        if (!definition) continue;
        this.dispatcher.register({
          definition,
          handle: (fn as EventHandlerFn).bind(instance),
          name: `${instance.constructor.name}.${method}`,
        });
      }
    }
    if (this.dispatcher.hasHandlers()) {
      // Bound to the context the service boots in: a delivery made from another service's work (the in-process
      // broker of embedded mode) still runs, and logs, as this service's.
      const deliver = AsyncResource.bind(async (message: WireMessage) => {
        await this.dispatcher.dispatch(message);
      });
      await this.transport.subscribe(this.options.serviceName, this.dispatcher.topics(), deliver);
      this.logger.log(`${this.options.serviceName} consumes ${this.dispatcher.topics().join(', ')}`);
    }
    if (this.options.relay?.autoStart !== false) this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    await this.transport.close();
  }
}

/**
 * The event backbone of one service: the transactional outbox to emit, the relay to publish, and the
 * inbox dispatcher that runs @OnEvent handlers, on Kafka or in-process with the same code.
 */
@Global()
@Module({})
export class EventsModule {
  static forRootAsync(options: Omit<FactoryProvider<EventsModuleOptions>, 'provide'>): DynamicModule {
    return {
      module: EventsModule,
      imports: [DiscoveryModule],
      providers: [
        { provide: EVENTS_OPTIONS, ...options },
        {
          provide: EVENT_TRANSPORT,
          inject: [EVENTS_OPTIONS],
          useFactory: (events: EventsModuleOptions): EventTransport =>
            events.transport.kind === 'kafka'
              ? new KafkaTransport(
                  {
                    brokers: events.transport.brokers,
                    clientId: events.transport.clientId,
                    topicPrefix: events.transport.topicPrefix,
                    redeliveryDelayMs: events.transport.redeliveryDelayMs,
                  },
                  new Logger('KafkaTransport'),
                )
              : inProcessTransport(events.transport.broker),
        },
        {
          provide: OutboxRelay,
          inject: [DataSource, EVENT_TRANSPORT, EVENTS_OPTIONS],
          useFactory: (dataSource: DataSource, transport: EventTransport, events: EventsModuleOptions) =>
            new OutboxRelay(
              dataSource,
              transport,
              { ...DEFAULT_RELAY_OPTIONS, ...events.relay, name: events.serviceName },
              new Logger('OutboxRelay'),
              events.metrics,
            ),
        },
        {
          provide: TransactionalOutbox,
          inject: [DataSource, OutboxRelay],
          useFactory: (dataSource: DataSource, relay: OutboxRelay) => new TransactionalOutbox(dataSource, () => relay.nudge()),
        },
        {
          provide: EventDispatcher,
          inject: [DataSource, EVENTS_OPTIONS, OutboxRelay],
          useFactory: (dataSource: DataSource, events: EventsModuleOptions, relay: OutboxRelay) =>
            new EventDispatcher(
              dataSource,
              {
                consumer: events.serviceName,
                maxAttempts: events.consumer?.maxAttempts ?? 5,
                retryDelayMs: events.consumer?.retryDelayMs ?? 200,
                metrics: events.metrics,
                tracing: events.tracing,
              },
              new Logger('EventDispatcher'),
              () => relay.nudge(),
            ),
        },
        EventsLifecycle,
      ],
      exports: [TransactionalOutbox, OutboxRelay, EventDispatcher, EVENT_TRANSPORT],
    };
  }
}
