import { Injectable } from '@nestjs/common';
import { Events, timestampFromDate } from '@enforcement/contracts';
import type { Transaction } from '@enforcement/events';
import { Case } from '../case-core/case';
import type { CaseRecord, CaseState, NewRecord } from '../case-core/case.types';
import { DomainEventBus } from '../case-core/domain-event.bus';
import { isCurrentProcedureState, procedureStateOf, type ProcedureState } from '../case-core/procedure-state';
import { concurrentAppendError } from '../case-core/recording.error';
import { CaseRepository } from '../cases/case.repository';
import { CaseRecordRepository } from './case-record.repository';

export type { NewRecord };

/**
 * Appends a record to a case's hash chain inside the caller's transaction: the aggregate chains it, the
 * repositories save it, RecordAppended goes to the subscribers (the deadlines, in the same transaction) and
 * StepRecorded to the outbox. The chain head moves only if nobody appended meanwhile, so two concurrent
 * appends cannot fork it.
 */
@Injectable()
export class RecordAppenderService {
  constructor(
    private readonly events: DomainEventBus<Transaction>,
    private readonly cases: CaseRepository,
    private readonly records: CaseRecordRepository,
  ) {}

  /**
   * The case's procedure state; a case row written before procedure states existed gets it folded from its
   * record (once: the next append saves it with the chain head).
   */
  async withProcedureState(tx: Transaction, aggregate: Case): Promise<ProcedureState> {
    const state = aggregate.state as CaseState;
    // An older shape (ProcedureState.version) is folded anew too, and saved in its place by the next append.
    if (!isCurrentProcedureState(state.procedureState)) {
      const [steps, party] = await Promise.all([this.records.pastSteps(tx, state.id), this.cases.party(state.id, tx)]);
      state.procedureState = procedureStateOf(party.kind, steps);
    }
    return state.procedureState;
  }

  /**
   * A record no officer's step made: an approval, a review's conclusion, a demand for review. Nobody presented a
   * certificate or evidence for it and it has no place; whoever made it is its only actor.
   */
  appendSystemRecord(
    tx: Transaction,
    caseRow: Case | CaseState,
    input: Pick<NewRecord, 'stepType' | 'recordedBy' | 'fields' | 'text'> & { occurredAt?: Date },
  ): Promise<CaseRecord> {
    return this.append(tx, caseRow, {
      ...input,
      occurredAt: input.occurredAt ?? new Date(),
      place: '',
      actingOfficerIds: input.recordedBy ? [input.recordedBy] : [],
      certificates: [],
      evidence: [],
    });
  }

  /** `caseRow` is the aggregate, or a case row (then updated in place with the new chain head). */
  async append(tx: Transaction, caseRow: Case | CaseState, input: NewRecord): Promise<CaseRecord> {
    // A case without a procedure state yet keeps none: the next step checked fills it from the whole record.
    const aggregate = caseRow instanceof Case ? caseRow : Case.restore(caseRow);
    const fromCount = aggregate.state.recordCount;
    const record = aggregate.append(input);
    // Known now, or, when the update waits for the record's insert (a batched transaction), known from that insert.
    if (!(await this.cases.advanceChain(tx, aggregate.state, fromCount))) throw concurrentAppendError();
    await this.records.insert(tx, record);
    // Every record may start or satisfy a statutory period (Art. 56, 60, 61, 64, 67), in the same transaction.
    await this.events.publish(tx, aggregate.pullEvents());
    await tx.emit(
      Events.StepRecorded,
      {
        caseId: record.caseId,
        recordId: record.id,
        stepType: record.stepType,
        certificates: record.certificates.map(({ officerId, number }) => ({ officerId, certificateNumber: number })),
        occurredAt: timestampFromDate(record.occurredAt),
        chainHash: record.hash,
        correctsRecordId: record.correctsRecordId ?? '',
      },
      { partitionKey: record.caseId, agencyId: aggregate.state.agencyId, actingUserId: input.recordedBy },
    );
    return record;
  }
}
