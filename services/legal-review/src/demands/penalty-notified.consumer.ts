import { Injectable } from '@nestjs/common';
import { Events, recordingV1, timestampFromDate } from '@enforcement/contracts';
import { OnEvent, type EventContext } from '@enforcement/events';
import { randomUUID } from 'node:crypto';
import { CatalogService } from '../catalog/catalog.service';
import { evaluateCatalog } from '../review-core/catalog';
import { PROPOSAL_FLAGS, type ProposalFlag } from '../review-core/proposal';
import type { ReviewDemandEntity } from './review-demand.entity';
import { ReviewDemandRepository } from './review-demand.repository';

const PARTY_KINDS = {
  [recordingV1.PartyKind.NATURAL_PERSON]: 'natural-person',
  [recordingV1.PartyKind.ORGANISATION]: 'organisation',
} as const;

/**
 * Every notice of a proposed penalty (PenaltyNotified) is matched against the agency's catalog in force; when a rule
 * names it (Art. 58, 118号 目录清单), the case is sent to review (ReviewDemanded, kept as a demand by the catalog), so
 * that its decision waits for an approved review whether or not its officers send it.
 */
@Injectable()
export class PenaltyNotifiedConsumer {
  constructor(
    private readonly catalog: CatalogService,
    private readonly demands: ReviewDemandRepository,
  ) {}

  @OnEvent(Events.PenaltyNotified)
  async onPenaltyNotified(event: recordingV1.PenaltyNotified, { manager, emit }: EventContext): Promise<void> {
    const partyKind = PARTY_KINDS[event.partyKind as keyof typeof PARTY_KINDS];
    if (!event.caseId || !event.agencyId || !partyKind) throw new Error('PenaltyNotified without case, agency or party kind');
    const version = await this.catalog.current(event.agencyId, manager);
    const evaluation = evaluateCatalog(version, {
      domain: event.domain,
      partyKind,
      penalties: event.penalties.map((p) => ({ kind: p.kind, amountFen: Number(p.amountFen) })),
      hearingHeld: event.hearingHeld,
      flags: event.flags.filter((flag): flag is ProposalFlag => (PROPOSAL_FLAGS as readonly string[]).includes(flag)),
      conditions: [...event.conditions],
    });
    if (!evaluation.reviewRequired) return;
    const row: ReviewDemandEntity = {
      id: randomUUID(),
      caseId: event.caseId,
      agencyId: event.agencyId,
      demandedBy: `catalog:v${version.version}`,
      role: 'catalog',
      reason: evaluation.matches.map((match) => `${match.ruleId} ${match.title}：${match.reasons.join('；')}`).join('\n'),
      demandedAt: new Date(),
    };
    await this.demands.insert(manager, row);
    await emit(
      Events.ReviewDemanded,
      {
        caseId: event.caseId,
        agencyId: event.agencyId,
        demandedBy: row.demandedBy,
        reason: row.reason,
        demandedAt: timestampFromDate(row.demandedAt),
      },
      { partitionKey: event.caseId, agencyId: event.agencyId },
    );
  }
}
