import { Injectable } from '@nestjs/common';
import { Events, recordingV1, timestampDate } from '@enforcement/contracts';
import { OnEvent, type EventContext } from '@enforcement/events';
import { DISCRETION_BANDS, type DiscretionBand } from '../review-core/discretion-benchmark';
import { PROPOSAL_FLAGS, type ProposalFlag } from '../review-core/proposal';
import type { ProposalSnapshot } from '../review-core/proposal-snapshot';
import { ReviewsService } from './reviews.service';

const PARTY_KINDS = {
  [recordingV1.PartyKind.NATURAL_PERSON]: 'natural-person',
  [recordingV1.PartyKind.ORGANISATION]: 'organisation',
} as const;

/**
 * Recording's DecisionProposed (the case-handling unit submits its proposal, Art. 58) opens a review or its
 * next round. The payload is checked before use: one without case, agency, digest or party kind is a broken
 * contract and goes to the dead letters.
 */
@Injectable()
export class DecisionProposedConsumer {
  constructor(private readonly reviews: ReviewsService) {}

  @OnEvent(Events.DecisionProposed)
  async onDecisionProposed(event: recordingV1.DecisionProposed, { manager, emit, envelope }: EventContext): Promise<void> {
    await this.reviews.submitProposal(manager, emit, snapshotOf(event, envelope.actingUserId));
  }
}

export function snapshotOf(event: recordingV1.DecisionProposed, actingUserId: string): ProposalSnapshot {
  const partyKind = PARTY_KINDS[event.partyKind as keyof typeof PARTY_KINDS];
  if (!event.caseId || !event.agencyId || !/^[0-9a-f]{64}$/.test(event.proposalDigest) || !partyKind) {
    throw new Error('DecisionProposed without case, agency, proposal digest or party kind');
  }
  const band = event.discretionBand as DiscretionBand;
  if (event.violationCode && !DISCRETION_BANDS.includes(band))
    throw new Error(`DecisionProposed with unknown discretion band '${event.discretionBand}'`);
  return {
    caseId: event.caseId,
    caseNumber: event.caseNumber,
    agencyId: event.agencyId,
    domain: event.domain,
    regionCode: event.regionCode,
    partyKind,
    chainHead: event.chainHead,
    proposalDigest: event.proposalDigest,
    penalties: event.penalties.map((p) => ({ kind: p.kind, amountFen: Number(p.amountFen), description: p.description })),
    facts: event.facts,
    legalBasis: event.legalBasis,
    handlingOfficerIds: [...event.handlingOfficerIds],
    actingOfficerIds: [...event.actingOfficerIds],
    hearingChairOfficerIds: [...event.hearingChairOfficerIds],
    hearingHeld: event.hearingHeld,
    evidence: event.evidence.map((e) => ({ evidenceId: e.evidenceId, sha256: e.sha256, mediaType: e.mediaType })),
    records: event.records.map((r) => ({
      sequence: r.sequence,
      stepType: r.stepType,
      occurredAt: r.occurredAt ? timestampDate(r.occurredAt).toISOString() : '',
      actingOfficerIds: [...r.actingOfficerIds],
      hash: r.hash,
    })),
    discretion: event.violationCode
      ? { violationCode: event.violationCode, band, illegalGainsFen: Number(event.illegalGainsFen), outOfBandReason: event.outOfBandReason }
      : null,
    flags: event.flags.filter((flag): flag is ProposalFlag => (PROPOSAL_FLAGS as readonly string[]).includes(flag)),
    conditions: [...event.conditions],
    recordingRequiresReview: event.requiresLegalReview,
    proposedAt: (event.proposedAt ? timestampDate(event.proposedAt) : new Date()).toISOString(),
    proposedBy: event.proposedBy || actingUserId,
  };
}
