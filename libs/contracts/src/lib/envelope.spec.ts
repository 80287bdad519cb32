import { create, toBinary } from '@bufbuild/protobuf';
import { file_enforcement_certificates_v1_events } from '../gen/enforcement/certificates/v1/events_pb';
import { EventEnvelopeSchema } from '../gen/enforcement/common/v1/envelope_pb';
import { file_enforcement_legalreview_v1_events } from '../gen/enforcement/legalreview/v1/events_pb';
import { file_enforcement_publicity_v1_events } from '../gen/enforcement/publicity/v1/events_pb';
import { file_enforcement_recording_v1_events } from '../gen/enforcement/recording/v1/events_pb';
import { ContractViolation, decodeEnvelope, decodePayload, encodeEnvelope, envelopeOccurredAt } from './envelope';
import { Events, findEventDefinition } from './registry';
import { ALL_TOPICS } from './topics';

const metadata = {
  eventId: '6f1c1f43-3f5e-4c39-9b0c-1f1f5b7c9a10',
  occurredAt: new Date('2026-03-01T02:03:04.567Z'),
  agencyId: 'agency-1',
  actingUserId: 'officer-7',
  correlationId: 'corr-1',
  causationId: 'cause-1',
  partitionKey: 'case-9',
};

describe('event envelope', () => {
  it('round-trips every envelope field and the payload', () => {
    const payload = create(Events.CaseOpened.schema, {
      caseId: 'case-9',
      agencyId: 'agency-1',
      domain: 'market-regulation',
      handlingOfficerIds: ['o1', 'o2'],
    });

    const envelope = decodeEnvelope(encodeEnvelope(Events.CaseOpened, payload, metadata));

    expect(envelope).toMatchObject({
      eventId: metadata.eventId,
      eventType: 'enforcement.recording.v1.CaseOpened',
      schemaVersion: 1,
      agencyId: 'agency-1',
      actingUserId: 'officer-7',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      partitionKey: 'case-9',
    });
    expect(envelopeOccurredAt(envelope).toISOString()).toBe('2026-03-01T02:03:04.567Z');
    expect(decodePayload(Events.CaseOpened, envelope)).toMatchObject({ caseId: 'case-9', handlingOfficerIds: ['o1', 'o2'] });
  });

  it('refuses to read a payload as another event type', () => {
    const envelope = decodeEnvelope(encodeEnvelope(Events.CaseClosed, create(Events.CaseClosed.schema, { caseId: 'c' }), metadata));
    expect(() => decodePayload(Events.CaseOpened, envelope)).toThrow(ContractViolation);
  });

  it('refuses an unknown schema version', () => {
    const bytes = toBinary(
      EventEnvelopeSchema,
      create(EventEnvelopeSchema, { eventId: 'e', eventType: 'enforcement.recording.v1.CaseClosed', schemaVersion: 2 }),
    );
    expect(() => decodePayload(Events.CaseClosed, decodeEnvelope(bytes))).toThrow(/schema version 2/);
  });

  it('refuses bytes that are not an envelope, or one without id or type', () => {
    expect(() => decodeEnvelope(Buffer.from([0xff, 0xff, 0xff]))).toThrow(ContractViolation);
    expect(() => decodeEnvelope(toBinary(EventEnvelopeSchema, create(EventEnvelopeSchema, { eventId: 'only-id' })))).toThrow(
      /lacks event id or event type/,
    );
  });
});

describe('event registry', () => {
  it('puts each event on the topic of its proto package', () => {
    for (const definition of Object.values(Events)) {
      const [, context, version] = definition.schema.typeName.split('.');
      expect(definition.topic).toBe(`enforcement.${context}.${version}`);
      expect(ALL_TOPICS).toContain(definition.topic);
    }
  });

  it('finds definitions by wire type and knows nothing of unknown types', () => {
    expect(findEventDefinition('enforcement.certificates.v1.CertificateSuspended')).toBe(Events.CertificateSuspended);
    expect(findEventDefinition('enforcement.certificates.v9.Nothing')).toBeUndefined();
  });

  it('has a definition for every event message generated from proto', () => {
    const generated = [
      file_enforcement_certificates_v1_events,
      file_enforcement_recording_v1_events,
      file_enforcement_legalreview_v1_events,
      file_enforcement_publicity_v1_events,
    ].flatMap((file) => file.messages);
    // Helper messages embedded in events are not events themselves.
    const helpers = new Set([
      'enforcement.certificates.v1.CertificateTerms',
      'enforcement.recording.v1.PartySummary',
      'enforcement.recording.v1.PresentedCertificate',
      'enforcement.recording.v1.ProposedPenalty',
      'enforcement.recording.v1.EvidenceDigest',
      'enforcement.recording.v1.RecordSummary',
      'enforcement.recording.v1.ChangedDecision',
      'enforcement.legalreview.v1.CollectiveDecisionCondition',
    ]);
    const missing = generated.map((m) => m.typeName).filter((name) => !helpers.has(name) && !findEventDefinition(name));
    expect(missing).toEqual([]);
  });
});
