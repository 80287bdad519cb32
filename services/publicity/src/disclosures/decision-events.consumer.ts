import { Injectable } from '@nestjs/common';
import { Events, recordingV1, timestampDate } from '@enforcement/contracts';
import { OnEvent, type EventContext } from '@enforcement/events';
import type { IssuedDecision } from '../disclosure-core/disclosure';
import { CONFIDENTIALITY_VALUES, type Confidentiality } from '../disclosure-core/publication-eligibility';
import type { AlterationKind } from '../disclosure-core/withdrawal';
import { DisclosuresService, type DecisionAlteration } from './disclosures.service';

const PARTY_KINDS = {
  [recordingV1.PartyKind.NATURAL_PERSON]: 'natural-person',
  [recordingV1.PartyKind.ORGANISATION]: 'organisation',
} as const;

const ALTERATION_KINDS: Partial<Record<recordingV1.AlterationKind, AlterationKind>> = {
  [recordingV1.AlterationKind.CHANGED]: 'changed',
  [recordingV1.AlterationKind.REVOKED]: 'revoked',
  [recordingV1.AlterationKind.CONFIRMED_ILLEGAL]: 'confirmed-illegal',
  [recordingV1.AlterationKind.CONFIRMED_VOID]: 'confirmed-void',
};

/**
 * Recording's decisions: DecisionIssued makes a disclosure (or records that it is never published), DecisionAltered
 * withdraws it (Art. 48) and, for a change, makes the changed decision's disclosure in its place. Payloads are checked before use: one that breaks the contract goes to the dead letters.
 */
@Injectable()
export class DecisionEventsConsumer {
  constructor(private readonly disclosures: DisclosuresService) {}

  @OnEvent(Events.DecisionIssued)
  async onDecisionIssued(event: recordingV1.DecisionIssued, { manager, envelope }: EventContext): Promise<void> {
    await this.disclosures.receiveDecision(manager, issuedDecisionOf(event, envelope.agencyId));
  }

  @OnEvent(Events.DecisionAltered)
  async onDecisionAltered(event: recordingV1.DecisionAltered, { manager, emit, envelope }: EventContext): Promise<void> {
    await this.disclosures.alter(manager, emit, alterationOf(event, envelope.actingUserId));
  }
}

export function issuedDecisionOf(event: recordingV1.DecisionIssued, envelopeAgencyId = ''): IssuedDecision {
  const kind = event.party ? PARTY_KINDS[event.party.kind as keyof typeof PARTY_KINDS] : undefined;
  const agencyId = event.agencyId || envelopeAgencyId;
  if (!event.caseId || !agencyId || !event.party || !kind || !event.decidedAt) {
    throw new Error('DecisionIssued without case, agency, party kind or decision time');
  }
  const confidentiality = (event.confidentiality || 'none') as Confidentiality;
  if (!CONFIDENTIALITY_VALUES.includes(confidentiality))
    throw new Error(`DecisionIssued with unknown confidentiality '${event.confidentiality}'`);
  return {
    caseId: event.caseId,
    agencyId,
    caseNumber: event.caseNumber,
    regionCode: event.regionCode,
    domain: event.domain,
    decisionNumber: event.decisionNumber,
    // Recording issues administrative penalty decisions (行政处罚决定): 7 working days.
    category: 'penalty',
    decidedAt: timestampDate(event.decidedAt),
    party: { kind, name: event.party.name, isMinor: event.party.isMinor, creditCode: event.organisationCreditCode },
    penalties: event.penalties.map((p) => ({ kind: p.kind, amountFen: Number(p.amountFen), description: p.description })),
    decisionText: event.decisionText,
    facts: event.factsSummary,
    legalBasis: event.legalBasis,
    violation: event.violation,
    otherPersons: [...event.otherPersons],
    confidentiality,
    chainHead: event.chainHead,
  };
}

export function alterationOf(event: recordingV1.DecisionAltered, actingUserId = ''): DecisionAlteration {
  const kind = ALTERATION_KINDS[event.kind];
  if (!event.caseId || !kind || !event.alteredAt) throw new Error('DecisionAltered without case, kind or time');
  if (kind !== 'changed' && event.changed) throw new Error('DecisionAltered with a changed decision for a kind other than changed');
  const changed = event.changed;
  return {
    caseId: event.caseId,
    decisionNumber: event.decisionNumber,
    kind,
    reason: event.reason,
    alteredAt: timestampDate(event.alteredAt),
    actingUserId,
    // Recording sends the decision as changed since it could; a change from before carries none and only withdraws.
    changed: changed
      ? {
          penalties: changed.penalties.map((p) => ({ kind: p.kind, amountFen: Number(p.amountFen), description: p.description })),
          facts: changed.factsSummary,
          legalBasis: changed.legalBasis,
          decisionNumber: changed.decisionNumber,
          decisionText: changed.decisionText,
          chainHead: changed.chainHead,
        }
      : undefined,
  };
}
