import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, In, IsNull, LessThanOrEqual, Like, type EntityManager } from 'typeorm';
import { indexedText, searchTerms } from '../disclosure-core/search-terms';
import type { QueueScope } from '../http/access';
import { DisclosureHistoryEntity } from './disclosure-history.entity';
import { DisclosureEntity, type DisclosureStatus } from './disclosure.entity';
import { SearchTermEntity } from './search-term.entity';

/** The only TypeORM user for disclosures and their history. */
@Injectable()
export class DisclosureRepository {
  constructor(private readonly dataSource: DataSource) {}

  private manager(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  byId(id: string, manager?: EntityManager): Promise<DisclosureEntity | null> {
    return this.manager(manager).findOneBy(DisclosureEntity, { id });
  }

  /** For an update: the row locked until the transaction ends (SQLite serialises writers anyway). */
  async lockedById(manager: EntityManager, id: string): Promise<DisclosureEntity | null> {
    const mysql = manager.connection.options.type !== 'better-sqlite3';
    return manager
      .getRepository(DisclosureEntity)
      .findOne({ where: { id }, ...(mysql ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  byCaseDecision(manager: EntityManager, caseId: string, decisionNumber: string): Promise<DisclosureEntity | null> {
    return manager.findOneBy(DisclosureEntity, { caseId, decisionNumber });
  }

  /** The disclosures of a case that may still be public or pending (an alteration without its number names them all). */
  byCase(manager: EntityManager, caseId: string): Promise<DisclosureEntity[]> {
    return manager.find(DisclosureEntity, { where: { caseId }, order: { decidedAt: 'ASC' } });
  }

  async insert(manager: EntityManager, row: DisclosureEntity): Promise<void> {
    await manager.insert(DisclosureEntity, row);
  }

  async save(manager: EntityManager, row: DisclosureEntity): Promise<void> {
    row.updatedAt = new Date();
    await manager.save(DisclosureEntity, row);
  }

  async history(
    manager: EntityManager,
    disclosureId: string,
    action: string,
    by: string,
    detail: Record<string, unknown> = {},
    at = new Date(),
  ) {
    const row: DisclosureHistoryEntity = { id: randomUUID(), disclosureId, action, by, at, detail };
    await manager.getRepository(DisclosureHistoryEntity).save(row);
  }

  historyOf(disclosureId: string): Promise<DisclosureHistoryEntity[]> {
    return this.dataSource.manager.find(DisclosureHistoryEntity, { where: { disclosureId }, order: { at: 'ASC' } });
  }

  /** Indexes a decision just published for keyword search: its normalized text and each character and pair of it. */
  async index(manager: EntityManager, row: DisclosureEntity, searchable: string): Promise<void> {
    if (!row.publishedAt) return;
    row.searchText = indexedText(searchable);
    const publishedAt = row.publishedAt;
    const terms = searchTerms(row.searchText).map((term) => ({ term, publishedAt, disclosureId: row.id }));
    for (let i = 0; i < terms.length; i += 500) {
      await manager
        .createQueryBuilder()
        .insert()
        .into(SearchTermEntity)
        .values(terms.slice(i, i + 500))
        .orIgnore()
        .execute();
    }
  }

  /** A decision off the portal is no longer found. */
  async unindex(manager: EntityManager, disclosureId: string): Promise<void> {
    await manager.delete(SearchTermEntity, { disclosureId });
  }

  /** How many decisions are past their publication deadline and still unpublished (the disclosures_overdue gauge). */
  countOverdue(now: Date): Promise<number> {
    return this.dataSource.manager.count(DisclosureEntity, { where: { status: 'pending-review', dueAt: LessThanOrEqual(now) } });
  }

  /** Pending disclosures past their deadline not yet announced. */
  overdueUnannounced(now: Date, limit: number): Promise<DisclosureEntity[]> {
    return this.dataSource.manager.find(DisclosureEntity, {
      where: { status: 'pending-review', dueAt: LessThanOrEqual(now), overdueAnnouncedAt: IsNull() },
      order: { dueAt: 'ASC' },
      take: limit,
    });
  }

  /** Published disclosures whose period has ended. */
  pastPeriod(now: Date, limit: number): Promise<DisclosureEntity[]> {
    return this.dataSource.manager.find(DisclosureEntity, {
      where: { status: 'published', publicUntil: LessThanOrEqual(now) },
      order: { publicUntil: 'ASC' },
      take: limit,
    });
  }

  /** The agency's disclosures in the given states, by deadline (the review queue, the overdue list). */
  queue(scope: QueueScope, statuses: DisclosureStatus[], options: { overdueAt?: Date; limit: number }): Promise<DisclosureEntity[]> {
    return this.dataSource.manager.find(DisclosureEntity, {
      where: {
        status: In(statuses),
        ...(scope === 'all'
          ? {}
          : 'agencyIds' in scope
            ? { agencyId: In(scope.agencyIds) }
            : { regionCode: Like(`${scope.regionPrefix}%`) }),
        ...(options.overdueAt ? { dueAt: LessThanOrEqual(options.overdueAt) } : {}),
      },
      order: { dueAt: 'ASC', id: 'ASC' },
      take: options.limit,
    });
  }
}
