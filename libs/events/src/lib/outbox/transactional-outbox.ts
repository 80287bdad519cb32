import { encodeEnvelope, EventHeaders, type EventDefinition } from '@enforcement/contracts';
import { TRACEPARENT_HEADER, traceparentOf } from '@enforcement/observability';
import { batchedTransaction, EntityRows } from '@enforcement/persistence';
import { randomUUID } from 'node:crypto';
import type { DescMessage, MessageInitShape } from '@bufbuild/protobuf';
import { create } from '@bufbuild/protobuf';
import type { DataSource, EntityManager } from 'typeorm';
import { OutboxEventEntity } from './outbox-event.entity';

/** Who and what an event is about, beyond its payload. */
export interface EmitOptions {
  /** Events with the same key keep their order: the case id, the certificate id. */
  partitionKey: string;
  agencyId?: string;
  actingUserId?: string;
  correlationId?: string;
  causationId?: string;
  occurredAt?: Date;
}

export type Emit = <Desc extends DescMessage>(
  definition: EventDefinition<Desc>,
  payload: MessageInitShape<Desc>,
  options: EmitOptions,
) => Promise<string>;

export interface Transaction {
  manager: EntityManager;
  /** Stages an event in this transaction; it is published only if the transaction commits. */
  emit: Emit;
}

const outboxRows = new WeakMap<DataSource, EntityRows<OutboxEventEntity>>();

function outboxRowsOf(dataSource: DataSource): EntityRows<OutboxEventEntity> {
  let rows = outboxRows.get(dataSource);
  if (!rows) {
    rows = new EntityRows(dataSource, OutboxEventEntity);
    outboxRows.set(dataSource, rows);
  }
  return rows;
}

/** Stages one event as an outbox row through the given transaction. Returns the event id. */
export async function stageEvent<Desc extends DescMessage>(
  manager: EntityManager,
  definition: EventDefinition<Desc>,
  payload: MessageInitShape<Desc>,
  options: EmitOptions,
): Promise<string> {
  const eventId = randomUUID();
  const message = create(definition.schema, payload);
  const bytes = encodeEnvelope(definition, message, {
    eventId,
    occurredAt: options.occurredAt ?? new Date(),
    agencyId: options.agencyId ?? '',
    actingUserId: options.actingUserId ?? '',
    correlationId: options.correlationId ?? eventId,
    causationId: options.causationId ?? '',
    partitionKey: options.partitionKey,
  });
  // One plain INSERT, sent with the transaction's next statement: every request that changes something stages at
  // least one event, and under a fresh id the row cannot collide.
  await outboxRowsOf(manager.connection).insertLater(manager, {
    eventId,
    eventType: definition.schema.typeName,
    topic: definition.topic,
    partitionKey: options.partitionKey,
    payload: Buffer.from(bytes),
    createdAt: new Date(),
    sentAt: null,
    attempts: 0,
    lastError: null,
    // The request's or consumer's span: whoever takes the event continues its trace.
    traceParent: traceparentOf() ?? null,
  });
  return eventId;
}

export function outboxRowHeaders(
  row: Pick<OutboxEventEntity, 'eventId' | 'eventType'> & { traceParent?: string | null },
): Record<string, string> {
  const headers = { [EventHeaders.eventId]: row.eventId, [EventHeaders.eventType]: row.eventType };
  return row.traceParent ? { ...headers, [TRACEPARENT_HEADER]: row.traceParent } : headers;
}

/**
 * The only way a service emits events: the write and the events it causes commit in one database
 * transaction, so neither exists without the other. The relay is woken after the commit.
 */
export class TransactionalOutbox {
  constructor(
    private readonly dataSource: DataSource,
    private readonly afterCommit: () => void = () => undefined,
  ) {}

  async run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const result = await batchedTransaction(this.dataSource, (manager) =>
      work({ manager, emit: (definition, payload, options) => stageEvent(manager, definition, payload, options) }),
    );
    this.afterCommit();
    return result;
  }
}
