import { Injectable } from '@nestjs/common';
import { Events, recordingV1, timestampFromDate } from '@enforcement/contracts';
import type { Transaction } from '@enforcement/events';
import { FieldCipher } from '@enforcement/field-cipher';
import { penaltiesOf } from '../case-core/case-procedure';
import type { CaseRecord, CaseState } from '../case-core/case.types';
import { DomainEventBus } from '../case-core/domain-event.bus';
import { CaseRepository } from '../cases/case.repository';
import { EvidenceItemRepository } from '../evidence/evidence-item.repository';
import { CaseRecordRepository } from '../records/case-record.repository';
import { decisionProposedPayload } from './decision-proposed.payload';

/** Art. 48: the alteration kinds as the contract names them. */
const ALTERATIONS: Record<string, recordingV1.AlterationKind> = {
  changed: recordingV1.AlterationKind.CHANGED,
  revoked: recordingV1.AlterationKind.REVOKED,
  'confirmed-illegal': recordingV1.AlterationKind.CONFIRMED_ILLEGAL,
  'confirmed-void': recordingV1.AlterationKind.CONFIRMED_VOID,
};

export const PARTY_KINDS = { 'natural-person': recordingV1.PartyKind.NATURAL_PERSON, organisation: recordingV1.PartyKind.ORGANISATION };

/** The penalties of a notice or decision as they travel in events. */
function penaltyMessages(fields: Record<string, unknown>) {
  return penaltiesOf(fields).map((p) => ({ kind: p.kind, amountFen: BigInt(p.amountFen ?? 0), description: '' }));
}

function emitOptions(state: CaseState, record: CaseRecord) {
  return { partitionKey: state.id, agencyId: state.agencyId, actingUserId: record.recordedBy };
}

/**
 * The case events other services learn from (enforcement.recording.v1), put in the outbox inside the
 * transaction that raised them: CaseOpened, DecisionProposed, DecisionIssued, DecisionAltered, CaseClosed.
 */
@Injectable()
export class CaseIntegrationEventsSubscriber {
  constructor(
    events: DomainEventBus<Transaction>,
    private readonly cases: CaseRepository,
    private readonly records: CaseRecordRepository,
    private readonly evidence: EvidenceItemRepository,
    private readonly cipher: FieldCipher,
  ) {
    events.subscribe('CaseOpened', 'in-transaction', async ({ case: state, party }, tx) => {
      await tx.emit(
        Events.CaseOpened,
        {
          caseId: state.id,
          agencyId: state.agencyId,
          caseNumber: state.caseNumber,
          domain: state.domain,
          regionCode: state.regionCode,
          party: { kind: PARTY_KINDS[party.kind], name: party.name, isMinor: party.isMinor },
          allegedViolation: state.allegedViolation,
          legalBasis: state.legalBasis,
          handlingOfficerIds: state.handlingOfficerIds,
          procedure: state.procedure === 'simplified' ? recordingV1.Procedure.SIMPLIFIED : recordingV1.Procedure.GENERAL,
          openedAt: timestampFromDate(state.openedAt),
        },
        { partitionKey: state.id, agencyId: state.agencyId, actingUserId: state.openedBy },
      );
    });
    events.subscribe('LegalReviewRequested', 'in-transaction', async ({ case: state, record }, tx) => {
      const party = await this.cases.party(state.id, tx);
      const [notice, hearings, evidence, records] = await Promise.all([
        this.records.latestOfType(tx, state.id, 'notice'),
        this.records.allOfType(tx, state.id, 'hearing'),
        this.evidence.allOfCase(state.id, tx),
        this.records.chainEntries(tx, state.id),
      ]);
      const payload = decisionProposedPayload({ notice, hearings, evidence, records }, state, record, party.kind);
      await tx.emit(Events.DecisionProposed, payload, emitOptions(state, record));
    });
    events.subscribe('CaseDecided', 'in-transaction', async ({ case: state, record }, tx) => {
      const party = await this.cases.party(state.id, tx);
      await tx.emit(
        Events.DecisionIssued,
        {
          caseId: state.id,
          decisionNumber: String(record.fields['decisionNumber'] ?? ''),
          penalties: penaltyMessages(record.fields),
          factsSummary: String(record.fields['facts'] ?? state.allegedViolation),
          legalBasis: state.legalBasis,
          party: { kind: PARTY_KINDS[party.kind], name: party.name, isMinor: party.isMinor },
          domain: state.domain,
          decidedAt: timestampFromDate(record.occurredAt),
          // For publicity (事后公开), which redacts the text and publishes what its reviewer approves.
          agencyId: state.agencyId,
          caseNumber: state.caseNumber,
          regionCode: state.regionCode,
          decisionText: record.text,
          violation: state.allegedViolation,
          chainHead: record.hash,
          // An organisation's credit code is public (双公示); a person's ID number never leaves recording.
          organisationCreditCode:
            party.kind === 'organisation' ? this.cipher.decrypt(party.identifierEncrypted, `case_parties.identifier:${state.id}`) : '',
          confidentiality: typeof record.fields['confidentiality'] === 'string' ? record.fields['confidentiality'] : '',
          otherPersons: Array.isArray(record.fields['otherPersons']) ? record.fields['otherPersons'].map(String) : [],
        },
        emitOptions(state, record),
      );
    });
    // Art. 48: a published decision that is changed, revoked or confirmed illegal or void is withdrawn (publicity).
    // A change also carries the decision as changed, which publicity publishes in the withdrawn one's place.
    events.subscribe('DecisionAltered', 'in-transaction', async ({ case: state, record }, tx) => {
      const kind = ALTERATIONS[String(record.fields['kind'])] ?? recordingV1.AlterationKind.UNSPECIFIED;
      const decision = kind === recordingV1.AlterationKind.CHANGED ? await this.records.latestOfType(tx, state.id, 'decision') : undefined;
      const text = (name: string) => (typeof record.fields[name] === 'string' ? record.fields[name] : undefined);
      await tx.emit(
        Events.DecisionAltered,
        {
          caseId: state.id,
          decisionNumber: String(record.fields['decisionNumber'] ?? ''),
          kind,
          reason: record.text,
          alteredAt: timestampFromDate(record.occurredAt),
          changed:
            kind === recordingV1.AlterationKind.CHANGED
              ? {
                  penalties: penaltyMessages(record.fields),
                  // What the change does not restate stands as decided.
                  factsSummary: text('facts') ?? String(decision?.fields['facts'] ?? state.allegedViolation),
                  legalBasis: text('legalBasis') ?? state.legalBasis,
                  decisionNumber: text('changedDecisionNumber') ?? '',
                  decisionText: text('decisionText') ?? '',
                  chainHead: record.hash,
                }
              : undefined,
        },
        emitOptions(state, record),
      );
    });
    events.subscribe('CaseClosed', 'in-transaction', async ({ case: state, record }, tx) => {
      await tx.emit(
        Events.CaseClosed,
        { caseId: state.id, closedAt: timestampFromDate(record.recordedAt), chainHead: state.chainHead },
        emitOptions(state, record),
      );
    });
  }
}
