import { Injectable, Logger } from '@nestjs/common';
import { chinaDayOf, endOfChinaDay, startOfChinaDay, yearOf } from '@enforcement/calendar';
import type { RotationOptions, TableRotationReport } from '@enforcement/field-cipher';
import { EntityRows } from '@enforcement/persistence';
import { applyKeyset, keysetPage, type KeysetPage, type KeysetPosition } from '@enforcement/service-runtime';
import { And, Brackets, DataSource, EntityManager, In, IsNull, LessThan, MoreThan, MoreThanOrEqual } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Case, CaseChanges } from '../case-core/case';
import { DEFAULT_CASE_NUMBER_TEMPLATE, renderCaseNumber } from '../case-core/case-number';
import type { CaseState } from '../case-core/case.types';
import type { CaseParty, CaseRepositoryPort, TransactionScope } from '../case-core/ports';
import { RecordingError } from '../case-core/recording.error';
import { CaseNumberCounterEntity } from './case-number-counter.entity';
import { CaseNumberFormatEntity } from './case-number-format.entity';
import { CasePartyEntity } from './case-party.entity';
import { CaseStateSeal } from './case-state-seal';
import { CaseEntity } from './case.entity';

/** The manager of a transaction (an outbox Transaction, an inbox EventContext or a manager itself), or the pool's. */
export function managerOf(dataSource: DataSource, tx?: TransactionScope): EntityManager {
  if (!tx) return dataSource.manager;
  if (tx instanceof EntityManager) return tx;
  return (tx as { manager: EntityManager }).manager;
}

/** Cases, their parties and case-number counters in TypeORM: the only place that touches those tables. */
@Injectable()
export class CaseRepository implements CaseRepositoryPort {
  private readonly logger = new Logger(CaseRepository.name);
  /** Agencies whose case-number counter row exists. */
  private readonly counters = new Set<string>();
  /** The statements every recorded step makes (read the case, move its chain head) in plain SQL. */
  private readonly rows: EntityRows<CaseEntity>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly seal: CaseStateSeal,
  ) {
    this.rows = new EntityRows(dataSource, CaseEntity);
  }

  async find(caseId: string, tx?: TransactionScope): Promise<CaseEntity | undefined> {
    return this.rows.findOneBy(managerOf(this.dataSource, tx), { id: caseId });
  }

  /**
   * The case to act on: its row as `find` reads it, refused (CASE_STATE_TAMPERED, logged as an error) when the row
   * no longer matches its state seal, i.e. a column was changed behind the service's back (issue #11).
   */
  async findForChange(caseId: string, tx?: TransactionScope): Promise<CaseEntity | undefined> {
    const found = await this.find(caseId, tx);
    if (found) this.checkSeal(found);
    return found;
  }

  /** Refuses a case row read by `find` whose seal does not cover its columns as they are now (CASE_STATE_TAMPERED). */
  checkSeal(found: CaseEntity): void {
    if (this.sealHolds(found)) return;
    this.logger.error(`case ${found.id}: the stored state does not match its seal (changed outside the service); refused`);
    throw new RecordingError('CASE_STATE_TAMPERED', '案件状态与其防篡改校验不符，已拒绝办理，请联系系统管理员核查', 'conflict', {
      details: { caseId: found.id },
    });
  }

  /**
   * A field key rotation (`npm run rotate-field-key -- --service recording`): seals anew under the current key every case
   * whose seal holds only under a previous key, so the previous key can go. Only if nobody changed the row meanwhile
   * (the service seals under the current key anyway). A case whose seal matches no configured key (changed behind the
   * service's back, or sealed under a key not configured) is listed as failed and left as it is.
   *
   * A case without a seal (written before seals existed) is sealed only as `verified` returns it: checked against its
   * records, its procedure state folded anew from them; undefined (it does not match them) lists it as failed.
   */
  async resealUnderCurrentKey(
    options: Pick<RotationOptions, 'batchSize' | 'onBatch'> = {},
    verified?: (row: CaseEntity) => Promise<CaseState | undefined>,
  ): Promise<TableRotationReport> {
    const report: TableRotationReport = { table: 'cases', rows: 0, rewritten: 0, reencrypted: 0, reindexed: 0, failed: [] };
    const manager = this.dataSource.manager;
    for (let after = ''; ;) {
      const rows = await manager.find(CaseEntity, { where: { id: MoreThan(after) }, order: { id: 'ASC' }, take: options.batchSize ?? 500 });
      if (rows.length === 0) return report;
      for (const row of rows) {
        report.rows += 1;
        const current = this.seal.of(row);
        if (row.stateSeal === current) continue;
        if (!row.stateSeal && verified) {
          const checked = await verified(row);
          if (!checked) report.failed.push(row.id);
          else if (await this.sealUnsealed(checked)) report.rewritten += 1;
          continue;
        }
        if (!this.sealHolds(row)) {
          report.failed.push(row.id);
          continue;
        }
        const moved = await manager.update(CaseEntity, { id: row.id, stateSeal: row.stateSeal ?? '' }, { stateSeal: current });
        // A seal is an index of the row under the key: moved to the current key like a blind index.
        if (moved.affected) {
          report.rewritten += 1;
          report.reindexed += 1;
        }
      }
      after = rows[rows.length - 1].id;
      report.lastRowId = after;
      options.onBatch?.({ ...report });
    }
  }

  /** Seals a row that has no seal yet, with the procedure state given, if it is still as it was read. */
  private async sealUnsealed(state: CaseState): Promise<boolean> {
    const moved = await this.dataSource.manager.update(
      CaseEntity,
      { id: state.id, recordCount: state.recordCount, stateSeal: IsNull() },
      { procedureState: state.procedureState ?? null, stateSeal: this.seal.of(state) },
    );
    return !!moved.affected;
  }

  /** Whether the row's state seal covers its columns as they are now (cases/case-state-seal.ts). */
  sealHolds(found: CaseEntity): boolean {
    return this.seal.holds(found, found.stateSeal);
  }

  /** `traceParent`: the opening request's span, which the case's later work continues. */
  async insert(tx: TransactionScope, opened: Case, party: CaseParty, traceParent?: string): Promise<void> {
    const manager = managerOf(this.dataSource, tx);
    await manager.insert(CaseEntity, { ...opened.state, stateSeal: this.seal.of(opened.state) } as QueryDeepPartialEntity<CaseEntity>);
    if (traceParent) await manager.update(CaseEntity, { id: opened.id }, { traceParent });
    await manager.insert(CasePartyEntity, { caseId: opened.id, ...party });
  }

  /** The case's trace context; null for a case opened before tracing, undefined for no such case. */
  async traceParentOf(caseId: string): Promise<string | null | undefined> {
    const found = await this.dataSource
      .getRepository(CaseEntity)
      .createQueryBuilder('c')
      .select('c.trace_parent', 'traceParent')
      .where('c.id = :caseId', { caseId })
      .getRawOne<{ traceParent: string | null }>();
    return found ? found.traceParent : undefined;
  }

  /**
   * In a batched transaction the update waits for the record's insert, its answer unknown (true here): the record's
   * sequence, unique per case, then refuses the insert of an append that lost the race (CaseRecordRepository.insert).
   */
  async advanceChain(tx: TransactionScope, state: CaseState, fromCount: number): Promise<boolean> {
    const moved = await this.rows.updateLater(
      managerOf(this.dataSource, tx),
      { id: state.id, recordCount: fromCount },
      {
        recordCount: state.recordCount,
        chainHead: state.chainHead,
        ...(state.procedureState ? { procedureState: state.procedureState } : {}),
        stateSeal: this.seal.of(state),
      },
    );
    return moved === undefined || moved > 0;
  }

  /** `state` is the case with `changes` applied: the seal is taken over it, in the same statement. */
  async saveChanges(tx: TransactionScope, state: CaseState, changes: CaseChanges): Promise<void> {
    if (Object.keys(changes).length === 0) return;
    await this.rows.update(managerOf(this.dataSource, tx), { id: state.id }, { ...changes, stateSeal: this.seal.of(state) });
  }

  async party(caseId: string, tx?: TransactionScope): Promise<CasePartyEntity> {
    return managerOf(this.dataSource, tx).findOneByOrFail(CasePartyEntity, { caseId });
  }

  /**
   * Newest first, one query whatever the scope: all cases, or those of an agency, of a division and below (a
   * region code prefix), or either.
   */
  async page(
    scope: { all: true } | { agencyId?: string; regionPrefix?: string },
    page: { after?: KeysetPosition; limit: number },
  ): Promise<KeysetPage<CaseEntity>> {
    const builder = applyKeyset(
      this.dataSource.getRepository(CaseEntity).createQueryBuilder('c'),
      { at: 'c.opened_at', id: 'c.id', order: 'DESC' },
      page,
    );
    if (!('all' in scope)) {
      builder.andWhere(
        new Brackets((where) => {
          where.where('1 = 0');
          if (scope.agencyId) where.orWhere('c.agency_id = :agencyId', { agencyId: scope.agencyId });
          // Division codes are digits only, so the prefix needs no LIKE escaping.
          if (scope.regionPrefix) where.orWhere('c.region_code LIKE :region', { region: `${scope.regionPrefix}%` });
        }),
      );
    }
    return keysetPage(await builder.getMany(), page.limit, (found) => ({ at: found.openedAt, id: found.id }));
  }

  /**
   * Creates the agency's counter row for the year in a statement of its own, before the opening transaction.
   * Created inside it, the first openings of an agency at the same moment deadlocked on MariaDB: each one's
   * update of the missing row locked the gap the others' insert needed.
   */
  /** The case numbers of `caseIds`, for lists that show them beside other rows. */
  async caseNumbers(caseIds: string[]): Promise<Map<string, string>> {
    if (caseIds.length === 0) return new Map();
    const cases = await this.dataSource.manager.find(CaseEntity, {
      select: { id: true, caseNumber: true },
      where: { id: In([...new Set(caseIds)]) },
    });
    return new Map(cases.map((found) => [found.id, found.caseNumber]));
  }

  async ensureCaseNumberCounter(agencyId: string, now: Date): Promise<void> {
    const year = yearOfInstant(now);
    const key = `${agencyId}:${year}`;
    if (this.counters.has(key)) return;
    if (!(await this.dataSource.getRepository(CaseNumberCounterEntity).existsBy({ agencyId, year }))) {
      await this.insertCounter(this.dataSource.manager, agencyId, year);
    }
    this.counters.add(key);
  }

  /**
   * The agency's next case number in its pattern: the sequence of the year, taken under the row lock of its
   * counter so that officers opening cases at the same moment never get the same number.
   */
  async nextCaseNumber(tx: TransactionScope, agencyId: string, regionCode: string, now: Date): Promise<string> {
    const manager = managerOf(this.dataSource, tx);
    const year = yearOfInstant(now);
    const bump = () =>
      manager
        .createQueryBuilder()
        .update(CaseNumberCounterEntity)
        .set({ lastValue: () => 'last_value + 1' })
        .where('agency_id = :agencyId AND year = :year', { agencyId, year })
        .execute();
    if (!(await bump()).affected) {
      await this.insertCounter(manager, agencyId, year);
      await bump();
    }
    const { lastValue } = await manager.findOneByOrFail(CaseNumberCounterEntity, { agencyId, year });
    const format = await manager.findOneBy(CaseNumberFormatEntity, { agencyId });
    return renderCaseNumber(format?.template ?? DEFAULT_CASE_NUMBER_TEMPLATE, { year, sequence: lastValue, regionCode, agencyId });
  }

  async caseNumberFormat(agencyId: string): Promise<CaseNumberFormatEntity | undefined> {
    return (await this.dataSource.manager.findOneBy(CaseNumberFormatEntity, { agencyId })) ?? undefined;
  }

  async saveCaseNumberFormat(format: CaseNumberFormatEntity): Promise<void> {
    await this.dataSource.manager.upsert(CaseNumberFormatEntity, format, ['agencyId']);
  }

  /** A year's counter starts from the cases the agency already opened that year, so no number is given twice. */
  private async insertCounter(manager: EntityManager, agencyId: string, year: number): Promise<void> {
    const existing = await manager.countBy(CaseEntity, {
      agencyId,
      openedAt: And(MoreThanOrEqual(startOfChinaDay(`${year}-01-01`)), LessThan(endOfChinaDay(`${year}-12-31`))),
    });
    await manager
      .createQueryBuilder()
      .insert()
      .into(CaseNumberCounterEntity)
      .values({ agencyId, year, lastValue: existing })
      .orIgnore()
      .execute();
  }
}

function yearOfInstant(now: Date): number {
  return yearOf(chinaDayOf(now));
}
