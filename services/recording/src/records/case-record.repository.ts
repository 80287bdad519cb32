import { Injectable } from '@nestjs/common';
import { EntityRows, isDuplicateKeyError } from '@enforcement/persistence';
import { DataSource, LessThan } from 'typeorm';
import type { PastStep } from '../case-core/case-procedure';
import type { CaseRecord } from '../case-core/case.types';
import type { CaseRecordRepositoryPort, TransactionScope } from '../case-core/ports';
import { concurrentAppendError } from '../case-core/recording.error';
import { managerOf } from '../cases/case.repository';
import { CaseRecordEntity } from './case-record.entity';

/** One sequence per record of a case (case_records' unique key, named in MariaDB's duplicate-entry message). */
const SEQUENCE_KEY = 'uq_case_records_case_sequence';

/** The hash-chained records (case_records) in TypeORM. */
export type ChainEntry = Pick<CaseRecordEntity, 'sequence' | 'stepType' | 'occurredAt' | 'actingOfficerIds' | 'hash'>;

@Injectable()
export class CaseRecordRepository implements CaseRecordRepositoryPort {
  /** Appending is on every step's path: one plain INSERT. */
  private readonly rows: EntityRows<CaseRecordEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.rows = new EntityRows(dataSource, CaseRecordEntity);
  }

  /**
   * Waits for the transaction's next statement (COMMIT, on a step), like the case's conditional update before it.
   * Should that update have missed (another append moved the chain head first), the other append holds this
   * sequence: the unique key refuses the record, and the step is refused as a concurrent change.
   */
  async insert(tx: TransactionScope, record: CaseRecord): Promise<void> {
    await this.rows.insertLater(managerOf(this.dataSource, tx), record as CaseRecordEntity, (error) =>
      isDuplicateKeyError(error, SEQUENCE_KEY) ? concurrentAppendError() : undefined,
    );
  }

  /** The record so far, as the procedure rules need it. */
  async pastSteps(tx: TransactionScope, caseId: string): Promise<PastStep[]> {
    return managerOf(this.dataSource, tx).find(CaseRecordEntity, {
      where: { caseId },
      order: { sequence: 'ASC' },
      select: { id: true, stepType: true, occurredAt: true, actingOfficerIds: true, fields: true },
    });
  }

  /** The latest record of a type (before `beforeSequence` if given). */
  async latestOfType(
    tx: TransactionScope | undefined,
    caseId: string,
    stepType: string,
    beforeSequence?: number,
  ): Promise<CaseRecordEntity | undefined> {
    const found = await managerOf(this.dataSource, tx).findOne(CaseRecordEntity, {
      where: { caseId, stepType, ...(beforeSequence === undefined ? {} : { sequence: LessThan(beforeSequence) }) },
      order: { sequence: 'DESC' },
    });
    return found ?? undefined;
  }

  /** Every record of a type, oldest first. */
  async allOfType(tx: TransactionScope | undefined, caseId: string, stepType: string): Promise<CaseRecordEntity[]> {
    return managerOf(this.dataSource, tx).find(CaseRecordEntity, { where: { caseId, stepType }, order: { sequence: 'ASC' } });
  }

  /** The case's chain as a review snapshot lists it: each entry's step, time, officers and hash, without fields. */
  async chainEntries(tx: TransactionScope | undefined, caseId: string): Promise<ChainEntry[]> {
    return managerOf(this.dataSource, tx).find(CaseRecordEntity, {
      where: { caseId },
      order: { sequence: 'ASC' },
      select: { sequence: true, stepType: true, occurredAt: true, actingOfficerIds: true, hash: true },
    });
  }

  /** The step type of a record of the case, or undefined when the case has no such record (what a correction names). */
  async stepTypeOf(caseId: string, recordId: string, tx?: TransactionScope): Promise<string | undefined> {
    const found = await managerOf(this.dataSource, tx).findOne(CaseRecordEntity, {
      select: { stepType: true },
      where: { caseId, id: recordId },
    });
    return found?.stepType;
  }

  async exists(caseId: string, recordId: string, tx?: TransactionScope): Promise<boolean> {
    return managerOf(this.dataSource, tx).existsBy(CaseRecordEntity, { caseId, id: recordId });
  }

  /** One record of the case, as listOfCase gives it. */
  async byId(caseId: string, recordId: string): Promise<CaseRecordEntity | null> {
    return this.dataSource.getRepository(CaseRecordEntity).findOneBy({ caseId, id: recordId });
  }

  async listOfCase(caseId: string): Promise<CaseRecordEntity[]> {
    return this.dataSource.getRepository(CaseRecordEntity).find({ where: { caseId }, order: { sequence: 'ASC' } });
  }
}
