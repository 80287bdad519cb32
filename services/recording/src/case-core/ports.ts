import type { Case, CaseChanges } from './case';
import type { PastStep } from './case-procedure';
import type { CaseRecord, CaseState, PartyKind } from './case.types';

/** An open transaction of the persistence adapter; the core never looks inside. */
export type TransactionScope = object;

/** Where cases are kept (cases/case.repository.ts implements it with TypeORM). */
export interface CaseRepositoryPort {
  find(caseId: string, tx?: TransactionScope): Promise<CaseState | undefined>;
  insert(tx: TransactionScope, opened: Case, party: CaseParty): Promise<void>;
  /**
   * Moves the chain head from `fromCount` records; false when someone appended meanwhile. May also answer true
   * before it is known (the update waiting to go with the record's insert): a lost race then fails that insert,
   * whose sequence the other append took (CaseRecordRepositoryPort.insert).
   */
  advanceChain(tx: TransactionScope, state: CaseState, fromCount: number): Promise<boolean>;
  /** Saves `changes`, already applied to `state` (the row is sealed over the whole state). */
  saveChanges(tx: TransactionScope, state: CaseState, changes: CaseChanges): Promise<void>;
}

export interface CaseParty {
  kind: PartyKind;
  name: string;
  identifierEncrypted: string;
  contactEncrypted: string;
  isMinor: boolean;
}

/** Where the hash-chained records are kept (records/case-record.repository.ts). */
export interface CaseRecordRepositoryPort {
  /** Fails with CONCURRENT_CHANGE when the record's sequence is taken: another append moved the chain head first. */
  insert(tx: TransactionScope, record: CaseRecord): Promise<void>;
  pastSteps(tx: TransactionScope, caseId: string): Promise<PastStep[]>;
  latestOfType(tx: TransactionScope, caseId: string, stepType: string, beforeSequence?: number): Promise<CaseRecord | undefined>;
}
