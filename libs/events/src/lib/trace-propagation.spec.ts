import { Logger } from '@nestjs/common';
import { Events } from '@enforcement/contracts';
import { activeTraceIds, contextFromTraceparent, ServiceTracing, TRACEPARENT_HEADER, traceparentOf } from '@enforcement/observability';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import type { DataSource } from 'typeorm';
import { agencyPayload, ledgerBinding, openTestDatabase } from '../test-support/ledger';
import { EventDispatcher } from './inbox/event-dispatcher';
import type { EventContext } from './inbox/event-handler';
import { OutboxEventEntity } from './outbox/outbox-event.entity';
import { TransactionalOutbox } from './outbox/transactional-outbox';
import { DEFAULT_RELAY_OPTIONS, OutboxRelay } from './relay/outbox-relay';
import type { WireMessage } from './transport/event-transport';
import { InProcessBroker } from './transport/in-process-broker';

const quiet = new Logger('test');
quiet.warn = () => undefined;
quiet.error = () => undefined;

/** The W3C trace context from the span that emits an event, through its outbox row and headers, into the consumer's span. */
describe('trace context across the event backbone', () => {
  let dataSource: DataSource;
  let exporter: InMemorySpanExporter;
  let tracing: ServiceTracing;
  let broker: InProcessBroker;
  let relay: OutboxRelay;
  let delivered: WireMessage[];
  let seenByHandler: Array<{ trace_id?: string; span_id?: string }>;

  beforeEach(async () => {
    dataSource = await openTestDatabase({});
    exporter = new InMemorySpanExporter();
    tracing = new ServiceTracing({ serviceName: 'publicity', exporter: 'none', spanExporter: exporter });
    broker = new InProcessBroker();
    broker.open();
    relay = new OutboxRelay(dataSource, broker, { ...DEFAULT_RELAY_OPTIONS, name: 'test' }, quiet);
    delivered = [];
    seenByHandler = [];
    const dispatcher = new EventDispatcher(dataSource, { consumer: 'consumer', maxAttempts: 1, retryDelayMs: 1, tracing }, quiet);
    dispatcher.register({
      ...ledgerBinding,
      handle: async (payload, context: EventContext) => {
        seenByHandler.push(activeTraceIds());
        await ledgerBinding.handle(payload, context);
      },
    });
    await broker.subscribe('consumer', [Events.AgencyRegistered.topic], async (message) => {
      delivered.push(message);
      await dispatcher.dispatch(message);
    });
  });

  afterEach(async () => {
    await relay.stop();
    await dataSource.destroy();
  });

  const emit = (name: string) =>
    new TransactionalOutbox(dataSource).run(({ emit }) => emit(Events.AgencyRegistered, agencyPayload(name), { partitionKey: name }));

  it('keeps the emitting span`s traceparent on the outbox row, sends it as the traceparent header, and runs the handler in a child span of it', async () => {
    const { traceparent, ids } = await tracing.inSpan('POST /agencies', { parent: contextFromTraceparent(undefined) }, async () => {
      await emit('traced');
      return { traceparent: traceparentOf(), ids: activeTraceIds() };
    });

    const [row] = await dataSource.getRepository(OutboxEventEntity).find();
    expect(row.traceParent).toBe(traceparent);
    await relay.drain();

    expect(delivered.map((message) => message.headers[TRACEPARENT_HEADER])).toEqual([traceparent]);
    const consumerSpan = exporter.getFinishedSpans().find((span) => span.name.startsWith('consumer process'));
    expect(consumerSpan?.name).toBe('consumer process AgencyRegistered');
    expect(consumerSpan?.spanContext().traceId).toBe(ids.trace_id);
    expect(consumerSpan?.parentSpanContext?.spanId).toBe(ids.span_id);
    expect(seenByHandler).toEqual([{ trace_id: ids.trace_id, span_id: consumerSpan?.spanContext().spanId }]);
  });

  it('stages the events a handler emits in the consumer`s span, so the next service continues the same trace', async () => {
    const dispatcher = new EventDispatcher(dataSource, { consumer: 'forwarder', maxAttempts: 1, retryDelayMs: 1, tracing }, quiet);
    dispatcher.register({
      ...ledgerBinding,
      handle: async (payload, context) => {
        await ledgerBinding.handle(payload, context);
        await context.emit(Events.AgencyRegistered, agencyPayload('follow-up'), { partitionKey: 'follow-up' });
      },
    });
    const sender = contextFromTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    await tracing.inSpan('sender', { parent: sender }, () => emit('first'));
    const [first] = await dataSource.getRepository(OutboxEventEntity).find();

    await dispatcher.dispatch({
      topic: first.topic,
      key: first.partitionKey,
      value: first.payload,
      headers: { [TRACEPARENT_HEADER]: first.traceParent ?? '' },
    });

    const followUp = await dataSource.getRepository(OutboxEventEntity).findOneByOrFail({ partitionKey: 'follow-up' });
    const forwarder = exporter.getFinishedSpans().find((span) => span.name.startsWith('forwarder process'));
    expect(followUp.traceParent).toBe(`00-4bf92f3577b34da6a3ce929d0e0e4736-${forwarder?.spanContext().spanId}-01`);
  });

  it('starts a new trace for an event without a traceparent (staged outside any span) or with a forged one', async () => {
    await emit('untraced');
    const [row] = await dataSource.getRepository(OutboxEventEntity).find();
    expect(row.traceParent).toBeNull();
    await relay.drain();
    expect(delivered[0].headers).not.toHaveProperty(TRACEPARENT_HEADER);

    const forged = { ...delivered[0], headers: { [TRACEPARENT_HEADER]: '00-zz-yy-01' } };
    await broker.publish([{ ...forged, value: (await stagedValue('forged')) ?? forged.value }]);

    const consumerSpans = exporter.getFinishedSpans().filter((span) => span.name.startsWith('consumer process'));
    expect(consumerSpans).toHaveLength(2);
    for (const span of consumerSpans) expect(span.parentSpanContext).toBeUndefined();
    expect(seenByHandler.map((ids) => ids.trace_id)).toEqual(consumerSpans.map((span) => span.spanContext().traceId));
  });

  async function stagedValue(name: string): Promise<Buffer | undefined> {
    await emit(name);
    const row = await dataSource.getRepository(OutboxEventEntity).findOneBy({ partitionKey: name });
    return row?.payload;
  }

  it('dispatches without a tracer in the sender`s context, so what the handler emits keeps the trace', async () => {
    const plain = new EventDispatcher(dataSource, { consumer: 'plain', maxAttempts: 1, retryDelayMs: 1 }, quiet);
    let seen: string | undefined;
    plain.register({ ...ledgerBinding, handle: async () => void (seen = traceparentOf()) });
    await tracing.inSpan('sender', { parent: contextFromTraceparent(undefined) }, () => emit('plain'));
    const [row] = await dataSource.getRepository(OutboxEventEntity).find();

    await plain.dispatch({
      topic: row.topic,
      key: row.partitionKey,
      value: row.payload,
      headers: { [TRACEPARENT_HEADER]: row.traceParent ?? '' },
    });

    expect(seen).toBe(row.traceParent);
  });
});
