import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { FollowedCalendarYearEntity } from './followed-calendar-year.entity';

/** The calendar years as their owner published them (followed_calendar_years): the only place that queries them. */
@Injectable()
export class FollowedCalendarYearRepository {
  constructor(private readonly dataSource: DataSource) {}

  async all(): Promise<FollowedCalendarYearEntity[]> {
    return this.dataSource.manager.find(FollowedCalendarYearEntity);
  }

  async findYear(manager: EntityManager, year: number): Promise<FollowedCalendarYearEntity | null> {
    return manager.findOneBy(FollowedCalendarYearEntity, { year });
  }

  /** Stores the year, replacing what was held for it. */
  async save(manager: EntityManager, year: FollowedCalendarYearEntity): Promise<void> {
    await manager.upsert(FollowedCalendarYearEntity, year, ['year']);
  }
}
