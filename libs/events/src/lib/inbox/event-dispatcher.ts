import type { LoggerService } from '@nestjs/common';
import { ContractViolation, decodeEnvelope, decodePayload, EventHeaders, type EventEnvelope } from '@enforcement/contracts';
import { contextFromTraceparent, SpanKind, TRACEPARENT_HEADER, withTraceContext, type ServiceTracing } from '@enforcement/observability';
import { batchedTransaction, isTransientDatabaseError } from '@enforcement/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { UNREADABLE_EVENT_TYPE, type EventMetrics } from '../metrics/event-metrics';
import { stageEvent } from '../outbox/transactional-outbox';
import type { WireMessage } from '../transport/event-transport';
import { DeadLetterEntity } from './dead-letter.entity';
import type { EventHandlerBinding } from './event-handler';
import { InboxEventEntity, type InboxOutcome } from './inbox-event.entity';

export interface DispatcherOptions {
  /** Inbox and dead-letter owner; also the consumer group. */
  consumer: string;
  /** Attempts at a failing handler before the event goes to the dead-letter store. */
  maxAttempts: number;
  retryDelayMs: number;
  /** Counts dead letters and skipped redeliveries for the service's metrics. */
  metrics?: EventMetrics;
  /** Each delivery runs in a consumer span, the child of the span that staged the event (its `traceparent`). */
  tracing?: ServiceTracing;
}

export type DispatchResult = 'handled' | 'duplicate' | 'ignored' | 'dead-lettered';

/**
 * Turns delivered bytes into handler calls, once per event. A handler that keeps failing, or bytes that
 * break the contract, go to the dead-letter store with their error and the stream goes on. A database
 * outage is different: the delivery is rejected so the transport brings it again later.
 */
export class EventDispatcher {
  private readonly handlers = new Map<string, EventHandlerBinding[]>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: DispatcherOptions,
    private readonly logger: LoggerService,
    private readonly afterCommit: () => void = () => undefined,
  ) {}

  register(binding: EventHandlerBinding): void {
    const type = binding.definition.schema.typeName;
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), binding]);
  }

  topics(): string[] {
    return [...new Set([...this.handlers.values()].flat().map((binding) => binding.definition.topic))];
  }

  hasHandlers(): boolean {
    return this.handlers.size > 0;
  }

  async dispatch(message: WireMessage): Promise<DispatchResult> {
    const parent = contextFromTraceparent(message.headers[TRACEPARENT_HEADER]);
    const tracing = this.options.tracing;
    // Without a tracer the handler still runs in the sender's context, so what it emits stays in that trace.
    if (!tracing) return withTraceContext(parent, () => this.dispatchInContext(message));
    // Named by the event's type (its header, short name), so a trace reads as the story of the case.
    const eventType = message.headers[EventHeaders.eventType] ?? '';
    return tracing.inSpan(
      `${this.options.consumer} process ${eventType.split('.').pop() || message.topic}`,
      {
        parent,
        kind: SpanKind.CONSUMER,
        attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': message.topic, 'messaging.message.type': eventType },
      },
      () => this.dispatchInContext(message),
    );
  }

  private async dispatchInContext(message: WireMessage): Promise<DispatchResult> {
    let envelope: EventEnvelope;
    try {
      envelope = decodeEnvelope(message.value);
    } catch (error) {
      await this.deadLetter(message, undefined, error, 0);
      return 'dead-lettered';
    }
    const bindings = this.handlers.get(envelope.eventType);
    if (!bindings) return 'ignored';

    let payload: unknown;
    try {
      payload = decodePayload(bindings[0].definition, envelope);
    } catch (error) {
      await this.deadLetter(message, envelope, error, 0);
      return 'dead-lettered';
    }

    let lastError: unknown;
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt++) {
      try {
        const result = await this.handleOnce(envelope, payload, bindings);
        if (result === 'handled') this.afterCommit();
        if (result === 'duplicate') this.options.metrics?.redeliverySkipped(envelope.eventType);
        return result;
      } catch (error) {
        if (isTransientDatabaseError(error)) throw error;
        lastError = error;
        this.logger.warn?.(
          `${this.options.consumer}: ${envelope.eventType} ${envelope.eventId} failed (attempt ${attempt}/${this.options.maxAttempts}): ${errorText(error)}`,
          'EventDispatcher',
        );
        if (attempt < this.options.maxAttempts) await sleep(this.options.retryDelayMs * 2 ** (attempt - 1));
      }
    }
    await this.deadLetter(message, envelope, lastError, this.options.maxAttempts);
    return 'dead-lettered';
  }

  private async handleOnce(envelope: EventEnvelope, payload: unknown, bindings: EventHandlerBinding[]): Promise<DispatchResult> {
    return batchedTransaction(this.dataSource, async (manager) => {
      if (!(await this.claim(manager, envelope, 'processed'))) return 'duplicate';
      const context = {
        envelope,
        manager,
        emit: ((definition, next, options) =>
          stageEvent(manager, definition, next, {
            agencyId: envelope.agencyId,
            actingUserId: envelope.actingUserId,
            correlationId: envelope.correlationId || envelope.eventId,
            causationId: envelope.eventId,
            ...options,
          })) as Parameters<EventHandlerBinding['handle']>[1]['emit'],
      };
      for (const binding of bindings) await binding.handle(payload as never, context);
      return 'handled';
    });
  }

  /** Inserts the inbox row; false when this consumer already has it (a redelivery). */
  private async claim(manager: EntityManager, envelope: EventEnvelope, outcome: InboxOutcome): Promise<boolean> {
    const existing = await manager.findOne(InboxEventEntity, {
      where: { consumer: this.options.consumer, eventId: envelope.eventId },
    });
    if (existing) return false;
    await manager.insert(InboxEventEntity, {
      consumer: this.options.consumer,
      eventId: envelope.eventId,
      eventType: envelope.eventType,
      outcome,
      processedAt: new Date(),
    });
    return true;
  }

  private async deadLetter(message: WireMessage, envelope: EventEnvelope | undefined, error: unknown, attempts: number): Promise<void> {
    const stored = await this.dataSource.transaction(async (manager) => {
      if (envelope && !(await this.claim(manager, envelope, 'dead-lettered'))) return false;
      await manager.insert(DeadLetterEntity, {
        consumer: this.options.consumer,
        eventId: envelope?.eventId ?? null,
        eventType: envelope?.eventType ?? null,
        topic: message.topic,
        partitionKey: envelope?.partitionKey ?? (message.key || null),
        payload: Buffer.from(message.value),
        error: errorText(error).slice(0, 60_000),
        attempts,
        failedAt: new Date(),
      });
      return true;
    });
    if (stored) this.options.metrics?.deadLettered(envelope?.eventType ?? UNREADABLE_EVENT_TYPE);
    else if (envelope) this.options.metrics?.redeliverySkipped(envelope.eventType);
    this.logger.error?.(
      `${this.options.consumer}: dead-lettered ${envelope?.eventType ?? 'unreadable message'} ${envelope?.eventId ?? ''} from ${message.topic}: ${errorText(error)}`,
      undefined,
      'EventDispatcher',
    );
  }
}

function errorText(error: unknown): string {
  if (error instanceof ContractViolation) return `contract violation: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
