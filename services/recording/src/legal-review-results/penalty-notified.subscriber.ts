import { Injectable } from '@nestjs/common';
import { Events, timestampFromDate } from '@enforcement/contracts';
import type { Transaction } from '@enforcement/events';
import { penaltiesOf } from '../case-core/case-procedure';
import { DomainEventBus } from '../case-core/domain-event.bus';
import { conditionsOf, flagsOf, PARTY_KIND_OF } from '../case-handling/decision-proposed.payload';
import { CaseRepository } from '../cases/case.repository';

/**
 * Every notice (告知, Art. 44) goes out as PenaltyNotified, in the transaction that records it, so that the
 * legal-review service can match it against the agency's major-decision catalog and send the case to review
 * (ReviewDemanded) when a rule names it (Art. 58): the catalog binds whether or not the officers send the case.
 */
@Injectable()
export class PenaltyNotifiedSubscriber {
  constructor(
    events: DomainEventBus<Transaction>,
    private readonly cases: CaseRepository,
  ) {
    events.subscribe('RecordAppended', 'in-transaction', async ({ case: state, record }, tx) => {
      if (record.stepType !== 'notice') return;
      const partyKind = state.procedureState?.partyKind ?? (await this.cases.party(state.id, tx)).kind;
      await tx.emit(
        Events.PenaltyNotified,
        {
          caseId: state.id,
          agencyId: state.agencyId,
          domain: state.domain,
          partyKind: PARTY_KIND_OF[partyKind],
          penalties: penaltiesOf(record.fields).map((p) => ({ kind: p.kind, amountFen: BigInt(p.amountFen ?? 0), description: '' })),
          hearingHeld: (state.procedureState?.latestHearingAt ?? null) !== null,
          flags: flagsOf(record.fields),
          conditions: conditionsOf(record.fields),
          recordId: record.id,
          recordHash: record.hash,
          notifiedAt: timestampFromDate(record.occurredAt),
        },
        { partitionKey: state.id, agencyId: state.agencyId, actingUserId: record.recordedBy },
      );
    });
  }
}
