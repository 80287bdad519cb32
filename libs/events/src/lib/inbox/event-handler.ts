import type { EventDefinition, EventEnvelope } from '@enforcement/contracts';
import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import type { EntityManager } from 'typeorm';
import type { Emit } from '../outbox/transactional-outbox';

/** What a handler gets besides the payload: the envelope and the transaction its effects must use. */
export interface EventContext {
  envelope: EventEnvelope;
  /** The inbox row and the handler's writes commit together: a redelivery then finds the row. */
  manager: EntityManager;
  /** Emits a follow-up event in the same transaction, caused by and correlated with this one. */
  emit: Emit;
}

export type EventHandlerFn<Desc extends DescMessage = DescMessage> = (payload: MessageShape<Desc>, context: EventContext) => Promise<void>;

export interface EventHandlerBinding {
  definition: EventDefinition;
  handle: EventHandlerFn;
  /** For logs: Class.method */
  name: string;
}
