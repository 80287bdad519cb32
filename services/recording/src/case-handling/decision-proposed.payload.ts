import { recordingV1, timestampFromDate } from '@enforcement/contracts';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { penaltiesOf } from '../case-core/case-procedure';
import type { CaseRecord, CaseState, PartyKind } from '../case-core/case.types';
import type { EvidenceItemEntity } from '../evidence/evidence-item.entity';
import type { CaseRecordEntity } from '../records/case-record.entity';
import type { ChainEntry } from '../records/case-record.repository';

const PARTY_KIND: Record<PartyKind, recordingV1.PartyKind> = {
  'natural-person': recordingV1.PartyKind.NATURAL_PERSON,
  organisation: recordingV1.PartyKind.ORGANISATION,
};

/** Art. 58 para. 1 items 1 and 3, as the `legal-review` step's fields state them. */
const FLAG_FIELDS: Record<string, string> = {
  majorPublicInterest: 'major-public-interest',
  complex: 'complex',
  severalLegalRelationships: 'several-legal-relationships',
};

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The Art. 58 flags a step's fields set (`majorPublicInterest`, `complex`, `severalLegalRelationships`). */
export function flagsOf(fields: Record<string, unknown>): string[] {
  return Object.entries(FLAG_FIELDS)
    .filter(([field]) => fields[field] === true)
    .map(([, flag]) => flag);
}

/** The other conditions a step's fields declare (`conditions`), as the agency's catalog names them. */
export function conditionsOf(fields: Record<string, unknown>): string[] {
  return Array.isArray(fields['conditions']) ? fields['conditions'].filter((c): c is string => typeof c === 'string') : [];
}

export const PARTY_KIND_OF = PARTY_KIND;
const fen = (value: unknown): bigint => (typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? BigInt(value) : 0n);

/**
 * The proposal a `legal-review` step submits (DecisionProposed), with the snapshot the review keeps: the latest
 * notice's penalties and facts, the case's record (each entry's step, time, officers and hash, up to the chain head),
 * the officers who acted and who chaired a hearing, the sealed evidence with its
 * digests, and the discretion band and Art. 58 flags the officer states in the step's fields (`violationCode`,
 * `discretionBand`, `illegalGainsFen`, `outOfBandReason`, `majorPublicInterest`, `complex`,
 * `severalLegalRelationships`, `conditions`). Its digest is the step's hash in the chain: an approval opens the
 * decision gate for exactly this proposal.
 */
/** What a proposal's snapshot is read from: the case's latest notice, its hearings, sealed evidence and chain. */
export interface ProposalSources {
  notice?: Pick<CaseRecordEntity, 'fields'>;
  hearings: Array<Pick<CaseRecordEntity, 'fields'>>;
  evidence: Array<Pick<EvidenceItemEntity, 'id' | 'sha256' | 'mediaType'>>;
  records: ChainEntry[];
}

export function decisionProposedPayload(
  { notice, hearings, evidence, records }: ProposalSources,
  state: CaseState,
  record: CaseRecord,
  partyKind: PartyKind,
): MessageInitShape<typeof recordingV1.DecisionProposedSchema> {
  const fields = record.fields;
  const acting = new Set<string>(state.procedureState?.actingOfficerIds ?? []);
  const chairs = hearings.map((hearing) => text(hearing.fields['chairOfficerId'])).filter((id) => id.length > 0);
  return {
    caseId: state.id,
    penalties: penaltiesOf(notice?.fields ?? {}).map((p) => ({ kind: p.kind, amountFen: BigInt(p.amountFen ?? 0), description: '' })),
    facts: String(notice?.fields['facts'] ?? state.allegedViolation),
    legalBasis: state.legalBasis,
    requiresLegalReview: true,
    proposalDigest: record.hash,
    agencyId: state.agencyId,
    caseNumber: state.caseNumber,
    domain: state.domain,
    regionCode: state.regionCode,
    partyKind: PARTY_KIND[partyKind],
    chainHead: state.chainHead,
    handlingOfficerIds: state.handlingOfficerIds,
    actingOfficerIds: [...acting],
    hearingChairOfficerIds: [...new Set(chairs)],
    hearingHeld: hearings.length > 0,
    evidence: evidence.map((item) => ({ evidenceId: item.id, sha256: item.sha256, mediaType: item.mediaType })),
    violationCode: text(fields['violationCode']),
    discretionBand: text(fields['discretionBand']),
    illegalGainsFen: fen(fields['illegalGainsFen']),
    outOfBandReason: text(fields['outOfBandReason']),
    flags: flagsOf(fields),
    conditions: conditionsOf(fields),
    proposedAt: timestampFromDate(record.occurredAt),
    proposedBy: record.recordedBy,
    records: records.map((r) => ({
      sequence: r.sequence,
      stepType: r.stepType,
      occurredAt: timestampFromDate(r.occurredAt),
      actingOfficerIds: r.actingOfficerIds,
      hash: r.hash,
    })),
  };
}
