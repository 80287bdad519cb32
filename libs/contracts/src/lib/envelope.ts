import { create, fromBinary, toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { EventEnvelopeSchema, type EventEnvelope } from '../gen/enforcement/common/v1/envelope_pb';
import type { EventDefinition } from './registry';

/** What a producer states about an event besides its payload. */
export interface EventMetadata {
  eventId: string;
  occurredAt: Date;
  agencyId: string;
  actingUserId: string;
  correlationId: string;
  causationId: string;
  partitionKey: string;
}

export function encodeEnvelope<Desc extends DescMessage>(
  definition: EventDefinition<Desc>,
  payload: MessageShape<Desc>,
  metadata: EventMetadata,
): Uint8Array {
  const envelope = create(EventEnvelopeSchema, {
    eventId: metadata.eventId,
    eventType: definition.schema.typeName,
    schemaVersion: definition.schemaVersion,
    occurredAt: timestampFromDate(metadata.occurredAt),
    agencyId: metadata.agencyId,
    actingUserId: metadata.actingUserId,
    correlationId: metadata.correlationId,
    causationId: metadata.causationId,
    partitionKey: metadata.partitionKey,
    payload: toBinary(definition.schema, payload),
  });
  return toBinary(EventEnvelopeSchema, envelope);
}

export class ContractViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractViolation';
  }
}

/** Decodes the envelope only; throws ContractViolation when the bytes are not a valid envelope. */
export function decodeEnvelope(bytes: Uint8Array): EventEnvelope {
  let envelope: EventEnvelope;
  try {
    envelope = fromBinary(EventEnvelopeSchema, bytes);
  } catch (error) {
    throw new ContractViolation(`not an event envelope: ${(error as Error).message}`);
  }
  if (!envelope.eventId || !envelope.eventType) {
    throw new ContractViolation('envelope lacks event id or event type');
  }
  return envelope;
}

/** Decodes the payload as the given event, refusing an envelope of another type or schema version. */
export function decodePayload<Desc extends DescMessage>(definition: EventDefinition<Desc>, envelope: EventEnvelope): MessageShape<Desc> {
  if (envelope.eventType !== definition.schema.typeName) {
    throw new ContractViolation(`expected ${definition.schema.typeName}, got ${envelope.eventType}`);
  }
  if (envelope.schemaVersion !== definition.schemaVersion) {
    throw new ContractViolation(`${envelope.eventType}: schema version ${envelope.schemaVersion} is not ${definition.schemaVersion}`);
  }
  try {
    return fromBinary(definition.schema, envelope.payload);
  } catch (error) {
    throw new ContractViolation(`${envelope.eventType}: undecodable payload: ${(error as Error).message}`);
  }
}

export function envelopeOccurredAt(envelope: EventEnvelope): Date {
  if (!envelope.occurredAt) throw new ContractViolation(`${envelope.eventType}: missing occurred-at`);
  return timestampDate(envelope.occurredAt);
}
