import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, In, IsNull, LessThanOrEqual, type EntityManager } from 'typeorm';
import { DisclosureHistoryEntity } from './disclosure-history.entity';
import { DisclosureEntity, type DisclosureStatus } from './disclosure.entity';

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
  queue(
    agencyIds: string[] | 'all',
    statuses: DisclosureStatus[],
    options: { overdueAt?: Date; limit: number },
  ): Promise<DisclosureEntity[]> {
    return this.dataSource.manager.find(DisclosureEntity, {
      where: {
        status: In(statuses),
        ...(agencyIds === 'all' ? {} : { agencyId: In(agencyIds) }),
        ...(options.overdueAt ? { dueAt: LessThanOrEqual(options.overdueAt) } : {}),
      },
      order: { dueAt: 'ASC', id: 'ASC' },
      take: options.limit,
    });
  }
}
