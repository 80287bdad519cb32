import { create, encodeEnvelope, Events, timestampFromDate, type EventDefinition } from '@enforcement/contracts';
import { ON_EVENT_METADATA, type EventHandlerBinding, type EventHandlerFn, type WireMessage } from '@enforcement/events';
import { randomUUID } from 'node:crypto';
import type { DescMessage, MessageInitShape } from '@bufbuild/protobuf';

/** The @OnEvent methods of a provider as dispatcher bindings, as EventsModule registers them. */
export function bindingsOf(instance: object): EventHandlerBinding[] {
  const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
  return Object.getOwnPropertyNames(prototype).flatMap((name) => {
    const fn = prototype[name];
    if (typeof fn !== 'function') return [];
    const definition = Reflect.getMetadata(ON_EVENT_METADATA, fn) as EventDefinition | undefined;
    return definition ? [{ definition, handle: (fn as EventHandlerFn).bind(instance), name }] : [];
  });
}

/** An event as the transport delivers it. */
export function wire<Desc extends DescMessage>(
  definition: EventDefinition<Desc>,
  payload: MessageInitShape<Desc>,
  options: { occurredAt: Date; key: string; eventId?: string },
): WireMessage {
  const value = encodeEnvelope(definition, create(definition.schema, payload), {
    eventId: options.eventId ?? randomUUID(),
    occurredAt: options.occurredAt,
    agencyId: 'agency-huangpu',
    actingUserId: 'admin',
    correlationId: '',
    causationId: '',
    partitionKey: options.key,
  });
  return { topic: definition.topic, key: options.key, value, headers: {} };
}

export interface TermsInit {
  domains?: string[];
  regionCodes?: string[];
  validFrom?: Date;
  validUntil?: Date;
}

export function terms(init: TermsInit = {}) {
  return {
    domains: init.domains ?? ['market-regulation'],
    regionCodes: init.regionCodes ?? ['310101'],
    validFrom: timestampFromDate(init.validFrom ?? new Date('2024-12-31T16:00:00Z')),
    validUntil: timestampFromDate(init.validUntil ?? new Date('2026-12-31T16:00:00Z')),
  };
}

export function issued(certificateId: string, officerId: string, occurredAt: Date, init: TermsInit = {}): WireMessage {
  return wire(
    Events.CertificateIssued,
    {
      certificateId,
      certificateNumber: `No.${certificateId}`,
      officerId,
      agencyId: 'agency-huangpu',
      issuingAuthority: '上海市人民政府',
      terms: terms(init),
    },
    { occurredAt, key: certificateId },
  );
}
