import { randomUUID } from 'node:crypto';
import type { CaseProcedure, NewStep, PastStep } from './case-procedure';
import { statusAfter } from './case-status';
import type { CaseEvent } from './case.events';
import type { CaseRecord, CaseState, LegalReviewStatus, NewRecord, PartyKind, Procedure } from './case.types';
import { chainedContentOf, GENESIS_HASH, recordHash } from './hash-chain';
import { DEFAULT_THRESHOLDS, type PenaltyThresholds } from './penalties';
import { emptyProcedureState, foldStep, isCurrentProcedureState } from './procedure-state';
import type { StepType } from './step-types';

/** The fields of a case that change after opening, other than its chain (which moves only by appending). */
export type CaseChanges = Partial<Pick<CaseState, 'status' | 'legalReviewStatus' | 'closedAt'>>;

export interface OpenCase {
  id: string;
  agencyId: string;
  caseNumber: string;
  domain: string;
  regionCode: string;
  procedure: Procedure;
  allegedViolation: string;
  legalBasis: string;
  handlingOfficerIds: string[];
  requiresCollectiveDecision: boolean;
  openedAt: Date;
  openedBy: string;
  party: { kind: PartyKind; name: string; isMinor: boolean };
}

/**
 * A case (案件) from its opening (立案) to its closing (结案): the aggregate that owns its state (legal-review
 * status, decided, closed), its hash chain and the procedure rules, and raises the events others react to.
 * Plain: the repositories load and save it, the DomainEventBus dispatches what it raised.
 */
export class Case {
  private readonly events: CaseEvent[] = [];
  private changes: CaseChanges = {};

  private constructor(private readonly current: CaseState) {}

  static restore(state: CaseState): Case {
    return new Case(state);
  }

  static open(input: OpenCase): Case {
    const { party, ...fields } = input;
    const opened = new Case({
      ...fields,
      status: 'open',
      legalReviewStatus: 'not-required',
      closedAt: null,
      recordCount: 0,
      chainHead: GENESIS_HASH,
      procedureState: emptyProcedureState(party.kind),
    });
    opened.events.push({ type: 'CaseOpened', case: opened.current, party });
    return opened;
  }

  get state(): Readonly<CaseState> {
    return this.current;
  }

  get id(): string {
    return this.current.id;
  }

  /** Refuses a step the law does not allow yet (a RecordingError with its code and article). */
  checkStep(procedure: CaseProcedure, record: { partyKind: PartyKind; steps: readonly PastStep[] }, step: NewStep): void {
    const { procedure: kind, status, legalReviewStatus, requiresCollectiveDecision, handlingOfficerIds } = this.current;
    procedure.check(
      {
        procedure: kind,
        status,
        partyKind: record.partyKind,
        legalReviewStatus,
        requiresCollectiveDecision,
        handlingOfficerIds,
        openedAt: this.current.openedAt,
        steps: record.steps,
      },
      step,
    );
  }

  /**
   * Refuses a step the law does not allow yet, against the procedure state kept on the case (see
   * ProcedureState); the state must be there (RecordAppenderService.withProcedureState fills an old row's).
   */
  checkStepOnState(procedure: CaseProcedure, step: NewStep): void {
    const { procedure: kind, status, legalReviewStatus, requiresCollectiveDecision, handlingOfficerIds, procedureState } = this.current;
    if (!isCurrentProcedureState(procedureState)) throw new Error(`case ${this.current.id} has no current procedure state`);
    const { openedAt } = this.current;
    procedure.checkState(
      { procedure: kind, status, legalReviewStatus, requiresCollectiveDecision, handlingOfficerIds, openedAt, state: procedureState },
      step,
    );
  }

  /** Chains a new record onto the case: its sequence, the previous hash and its own; raises RecordAppended. */
  append(input: NewRecord, recordedAt = new Date()): CaseRecord {
    const record: CaseRecord = {
      id: randomUUID(),
      caseId: this.current.id,
      sequence: this.current.recordCount + 1,
      stepType: input.stepType,
      occurredAt: input.occurredAt,
      recordedAt,
      recordedBy: input.recordedBy,
      place: input.place,
      actingOfficerIds: input.actingOfficerIds,
      certificates: input.certificates.map(({ officerId, certificateId, number }) => ({ officerId, certificateId, number })),
      // Stored as JSON, so hashed as JSON: a Date or undefined inside fields must not hash differently from what is read back.
      fields: JSON.parse(JSON.stringify(input.fields)) as Record<string, unknown>,
      text: input.text,
      evidence: input.evidence,
      correctsRecordId: input.correctsRecordId ?? null,
      previousHash: this.current.chainHead,
      hash: '',
    };
    record.hash = recordHash(chainedContentOf(record));
    this.current.recordCount = record.sequence;
    this.current.chainHead = record.hash;
    // A state of an older shape is not folded into: the next step checked folds the whole record anew.
    if (isCurrentProcedureState(this.current.procedureState)) foldStep(this.current.procedureState, record);
    this.events.push({ type: 'RecordAppended', case: this.current, record });
    return record;
  }

  /** What a recorded step changes in the case itself (Art. 57, 58, 47: statusAfter), and the events it raises. */
  stepRecorded(stepType: StepType, record: CaseRecord, partyKind: PartyKind, thresholds: PenaltyThresholds = DEFAULT_THRESHOLDS): void {
    const { status, legalReviewStatus } = this.current;
    const closedAt = this.current.closedAt?.toISOString() ?? null;
    const next = statusAfter(
      { status, legalReviewStatus, closedAt },
      { stepType, fields: record.fields, recordedAt: record.recordedAt.toISOString() },
      partyKind,
      thresholds,
    );
    if (next.legalReviewStatus !== legalReviewStatus) this.change({ legalReviewStatus: next.legalReviewStatus });
    if (next.status !== status) this.change({ status: next.status });
    if (next.closedAt !== closedAt) this.change({ closedAt: record.recordedAt });
    if (stepType === 'legal-review') this.events.push({ type: 'LegalReviewRequested', case: this.current, record });
    if (stepType === 'decision') this.events.push({ type: 'CaseDecided', case: this.current, record });
    // Art. 48: the one path a decision changes by; a published decision is withdrawn, a closed case archived anew.
    if (stepType === 'decision-alteration') this.events.push({ type: 'DecisionAltered', case: this.current, record });
    if (stepType === 'closing') this.events.push({ type: 'CaseClosed', case: this.current, record });
  }

  /**
   * An agency head or a supervisor sent the case to review (118号): an undecided case not yet bound to review now is;
   * one already under review, or decided, stays as it is. Whether anything changed.
   */
  legalReviewDemanded(): boolean {
    if (this.current.status !== 'open' || this.current.legalReviewStatus !== 'not-required') return false;
    this.change({ legalReviewStatus: 'required' });
    return true;
  }

  /** The legal-review service concluded (Art. 58): approval opens the gate on the decision. */
  legalReviewConcluded(status: LegalReviewStatus): void {
    this.change({ legalReviewStatus: status });
  }

  /** The state changes not saved yet (the chain is saved by the append itself). */
  pullChanges(): CaseChanges {
    const changes = this.changes;
    this.changes = {};
    return changes;
  }

  pullEvents(): CaseEvent[] {
    return this.events.splice(0);
  }

  private change(changes: CaseChanges): void {
    Object.assign(this.current, changes);
    this.changes = { ...this.changes, ...changes };
  }
}
