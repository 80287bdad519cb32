// Test support: the facts other contexts would have left in legal-review (officers, certificates) and the
// DecisionProposed recording would publish.
import { KnownCertificateEntity, KnownOfficerEntity } from '@enforcement/certificates';
import { encodeEnvelope, Events, recordingV1, timestampFromDate } from '@enforcement/contracts';
import { outboxRowHeaders, type InProcessBroker } from '@enforcement/events';
import { createHash, randomUUID } from 'node:crypto';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { create } from '@bufbuild/protobuf';
import type { DataSource } from 'typeorm';

export interface SeedOfficer {
  id: string;
  agencyId: string;
  roles: Array<'officer' | 'reviewer' | 'agency-admin' | 'supervisor'>;
  /** With an active certificate (counts as enforcement staff). */
  certified?: boolean;
}

export async function seedOfficers(dataSource: DataSource, officers: SeedOfficer[]): Promise<void> {
  const now = new Date();
  await dataSource.getRepository(KnownOfficerEntity).insert(
    officers.map((officer) => ({
      id: officer.id,
      agencyId: officer.agencyId,
      name: `人员${officer.id.slice(0, 4)}`,
      roles: officer.roles,
      supervisedRegionCode: null,
      rolesEventAt: now,
      updatedAt: now,
    })),
  );
  const certified = officers.filter((officer) => officer.certified);
  if (certified.length === 0) return;
  await dataSource.getRepository(KnownCertificateEntity).insert(
    certified.map((officer) => ({
      id: randomUUID(),
      number: `SH-LR-${officer.id.slice(0, 8)}`,
      officerId: officer.id,
      agencyId: officer.agencyId,
      status: 'active' as const,
      domains: ['market-regulation'],
      regionCodes: ['310000'],
      validFrom: new Date('2020-01-01T00:00:00Z'),
      validUntil: new Date('2099-01-01T00:00:00Z'),
      termsEventAt: now,
      statusEventAt: now,
      version: 1,
      updatedAt: now,
    })),
  );
}

export const digestOf = (text: string) => createHash('sha256').update(text).digest('hex');

export type ProposalInit = MessageInitShape<typeof recordingV1.DecisionProposedSchema> & { caseId: string; agencyId: string };

/** A DecisionProposed as recording publishes it, with sensible defaults. */
export function proposal(over: ProposalInit): ProposalInit {
  return {
    penalties: [{ kind: 'fine', amountFen: 25_000_000n, description: '罚款' }],
    facts: '销售不合格产品',
    legalBasis: '《产品质量法》第四十九条',
    requiresLegalReview: true,
    proposalDigest: digestOf(`${over.caseId}:1`),
    caseNumber: `沪黄市监案〔2026〕${over.caseId.slice(0, 6)}号`,
    domain: 'market-regulation',
    regionCode: '310101',
    partyKind: recordingV1.PartyKind.ORGANISATION,
    chainHead: digestOf(`${over.caseId}:head`),
    handlingOfficerIds: [],
    actingOfficerIds: [],
    hearingChairOfficerIds: [],
    evidence: [{ evidenceId: randomUUID(), sha256: digestOf('video'), mediaType: 'video/mp4' }],
    proposedAt: timestampFromDate(new Date()),
    proposedBy: 'officer',
    ...over,
  };
}

export async function publishProposal(broker: InProcessBroker, init: ProposalInit): Promise<void> {
  const eventId = randomUUID();
  const value = encodeEnvelope(Events.DecisionProposed, create(Events.DecisionProposed.schema, init), {
    eventId,
    occurredAt: new Date(),
    agencyId: init.agencyId,
    actingUserId: init.proposedBy ?? '',
    correlationId: eventId,
    causationId: '',
    partitionKey: init.caseId,
  });
  await broker.publish([
    {
      topic: Events.DecisionProposed.topic,
      key: init.caseId,
      value,
      headers: outboxRowHeaders({ eventId, eventType: Events.DecisionProposed.schema.typeName }),
    },
  ]);
}

/** A CaseOpened as recording publishes it. */
export async function publishCaseOpened(broker: InProcessBroker, caseId: string, agencyId: string, regionCode: string): Promise<void> {
  const eventId = randomUUID();
  const value = encodeEnvelope(
    Events.CaseOpened,
    create(Events.CaseOpened.schema, {
      caseId,
      agencyId,
      regionCode,
      caseNumber: `案-${caseId.slice(0, 6)}`,
      openedAt: timestampFromDate(new Date()),
    }),
    { eventId, occurredAt: new Date(), agencyId, actingUserId: '', correlationId: eventId, causationId: '', partitionKey: caseId },
  );
  await broker.publish([
    {
      topic: Events.CaseOpened.topic,
      key: caseId,
      value,
      headers: outboxRowHeaders({ eventId, eventType: Events.CaseOpened.schema.typeName }),
    },
  ]);
}

/** A PenaltyNotified as recording publishes it for a notice. */
export async function publishPenaltyNotified(
  broker: InProcessBroker,
  init: MessageInitShape<typeof recordingV1.PenaltyNotifiedSchema> & { caseId: string; agencyId: string },
): Promise<void> {
  const eventId = randomUUID();
  const value = encodeEnvelope(
    Events.PenaltyNotified,
    create(Events.PenaltyNotified.schema, { domain: 'market-regulation', partyKind: recordingV1.PartyKind.ORGANISATION, ...init }),
    {
      eventId,
      occurredAt: new Date(),
      agencyId: init.agencyId,
      actingUserId: '',
      correlationId: eventId,
      causationId: '',
      partitionKey: init.caseId,
    },
  );
  await broker.publish([
    {
      topic: Events.PenaltyNotified.topic,
      key: init.caseId,
      value,
      headers: outboxRowHeaders({ eventId, eventType: Events.PenaltyNotified.schema.typeName }),
    },
  ]);
}
