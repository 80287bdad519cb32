import { Injectable } from '@nestjs/common';
import { chinaDayOf } from '@enforcement/calendar';
import { EntityRows } from '@enforcement/persistence';
import { applyKeyset, keysetPage, type KeysetPage, type KeysetPosition } from '@enforcement/service-runtime';
import { Brackets, DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Case, CaseChanges } from '../case-core/case';
import type { CaseState } from '../case-core/case.types';
import type { CaseParty, CaseRepositoryPort, TransactionScope } from '../case-core/ports';
import { CaseNumberSequenceEntity } from './case-number-sequence.entity';
import { CasePartyEntity } from './case-party.entity';
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
  /** Agencies whose case-number counter row exists. */
  private readonly counters = new Set<string>();
  /** The statements every recorded step makes (read the case, move its chain head) in plain SQL. */
  private readonly rows: EntityRows<CaseEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.rows = new EntityRows(dataSource, CaseEntity);
  }

  async find(caseId: string, tx?: TransactionScope): Promise<CaseEntity | undefined> {
    return this.rows.findOneBy(managerOf(this.dataSource, tx), { id: caseId });
  }

  async insert(tx: TransactionScope, opened: Case, party: CaseParty): Promise<void> {
    const manager = managerOf(this.dataSource, tx);
    await manager.insert(CaseEntity, { ...opened.state } as QueryDeepPartialEntity<CaseEntity>);
    await manager.insert(CasePartyEntity, { caseId: opened.id, ...party });
  }

  async advanceChain(tx: TransactionScope, state: CaseState, fromCount: number): Promise<boolean> {
    const moved = await this.rows.update(
      managerOf(this.dataSource, tx),
      { id: state.id, recordCount: fromCount },
      {
        recordCount: state.recordCount,
        chainHead: state.chainHead,
        ...(state.procedureState ? { procedureState: state.procedureState } : {}),
      },
    );
    return moved > 0;
  }

  async saveChanges(tx: TransactionScope, caseId: string, changes: CaseChanges): Promise<void> {
    if (Object.keys(changes).length > 0) await this.rows.update(managerOf(this.dataSource, tx), { id: caseId }, changes);
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
   * Creates the agency's counter row in a statement of its own, before the opening transaction. Created inside it,
   * the first openings of an agency at the same moment deadlocked on MariaDB: each one's update of the missing row
   * locked the gap the others' insert needed.
   */
  async ensureCaseNumberCounter(agencyId: string): Promise<void> {
    if (this.counters.has(agencyId)) return;
    if (!(await this.dataSource.getRepository(CaseNumberSequenceEntity).existsBy({ agencyId }))) {
      const existing = await this.dataSource.getRepository(CaseEntity).countBy({ agencyId });
      await this.dataSource
        .createQueryBuilder()
        .insert()
        .into(CaseNumberSequenceEntity)
        .values({ agencyId, lastValue: existing })
        .orIgnore()
        .execute();
    }
    this.counters.add(agencyId);
  }

  /**
   * `<region>-<year>-<agency><sequence>`: the sequence counts the agency's cases, taken under the row lock of its
   * counter so that officers opening cases at the same moment never get the same number. The counter starts from
   * the cases the agency already has, so numbers given before it existed are not given again.
   */
  async nextCaseNumber(tx: TransactionScope, agencyId: string, regionCode: string, now: Date): Promise<string> {
    const manager = managerOf(this.dataSource, tx);
    const bump = () =>
      manager
        .createQueryBuilder()
        .update(CaseNumberSequenceEntity)
        .set({ lastValue: () => 'last_value + 1' })
        .where('agency_id = :agencyId', { agencyId })
        .execute();
    if (!(await bump()).affected) {
      const existing = await manager.countBy(CaseEntity, { agencyId });
      await manager
        .createQueryBuilder()
        .insert()
        .into(CaseNumberSequenceEntity)
        .values({ agencyId, lastValue: existing })
        .orIgnore()
        .execute();
      await bump();
    }
    const { lastValue } = await manager.findOneByOrFail(CaseNumberSequenceEntity, { agencyId });
    const year = chinaDayOf(now).slice(0, 4);
    return `${regionCode}-${year}-${agencyId.slice(0, 8).toUpperCase()}${String(lastValue).padStart(5, '0')}`;
  }
}
