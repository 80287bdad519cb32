import { Injectable } from '@nestjs/common';
import { Between, DataSource, LessThan, type EntityManager } from 'typeorm';
import { DisclosureEntity } from '../disclosures/disclosure.entity';
import { DailyRootEntity, DailyRootLeafEntity } from './daily-root.entity';

/** Leaves are inserted this many at a time, to keep each statement's parameters well under the drivers' limits. */
const LEAF_BATCH = 200;

/** The only TypeORM user for the fixed daily roots and their leaves (daily_roots, daily_root_leaves). */
@Injectable()
export class DailyRootRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The root of the latest day fixed, or null before the first. */
  async latest(): Promise<DailyRootEntity | null> {
    const [last] = await this.dataSource.manager.find(DailyRootEntity, { order: { day: 'DESC' }, take: 1 });
    return last ?? null;
  }

  /** The newest `limit` roots, newest first. */
  newest(limit: number): Promise<DailyRootEntity[]> {
    return this.dataSource.manager.find(DailyRootEntity, { order: { day: 'DESC' }, take: limit });
  }

  byDay(day: string, manager: EntityManager = this.dataSource.manager): Promise<DailyRootEntity | null> {
    return manager.findOneBy(DailyRootEntity, { day });
  }

  /** The instant of the first publication before `before`, or null when nothing was published by then. */
  async firstPublicationBefore(before: Date): Promise<Date | null> {
    const [first] = await this.dataSource.manager.find(DisclosureEntity, {
      where: { publishedAt: LessThan(before) },
      order: { publishedAt: 'ASC' },
      take: 1,
    });
    return first?.publishedAt ?? null;
  }

  /** The disclosures published, and those withdrawn, in [from, to]. */
  async changedBetween(
    manager: EntityManager,
    from: Date,
    to: Date,
  ): Promise<{ published: DisclosureEntity[]; withdrawn: DisclosureEntity[] }> {
    const range = Between(from, to);
    const [published, withdrawn] = await Promise.all([
      manager.find(DisclosureEntity, { where: { publishedAt: range } }),
      manager.find(DisclosureEntity, { where: { withdrawnAt: range } }),
    ]);
    return { published, withdrawn };
  }

  /** Fixes a day: its leaves in tree order, then its root. */
  async insert(manager: EntityManager, root: DailyRootEntity, leaves: DailyRootLeafEntity[]): Promise<void> {
    for (let i = 0; i < leaves.length; i += LEAF_BATCH) {
      await manager.insert(DailyRootLeafEntity, leaves.slice(i, i + LEAF_BATCH));
    }
    await manager.insert(DailyRootEntity, root);
  }

  /** The leaves of a disclosure (its publication and, if any, its withdrawal) in fixed days, oldest first. */
  leavesOfDisclosure(disclosureId: string): Promise<DailyRootLeafEntity[]> {
    return this.dataSource.manager.find(DailyRootLeafEntity, { where: { disclosureId }, order: { day: 'ASC', position: 'ASC' } });
  }

  /** A fixed day's root with all its leaves in tree order; fails when the day has no root. */
  async fixedDay(day: string): Promise<{ root: DailyRootEntity; leaves: DailyRootLeafEntity[] }> {
    const [root, leaves] = await Promise.all([
      this.dataSource.manager.findOneByOrFail(DailyRootEntity, { day }),
      this.dataSource.manager.find(DailyRootLeafEntity, { where: { day }, order: { position: 'ASC' } }),
    ]);
    return { root, leaves };
  }
}
