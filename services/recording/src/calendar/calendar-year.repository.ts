import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { TransactionScope } from '../case-core/ports';
import { managerOf } from '../cases/case.repository';
import { CalendarYearEntity } from './calendar-year.entity';

/** The years of the working-day calendar (calendar_years), one row a year. */
@Injectable()
export class CalendarYearRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every year, oldest first; inside a transaction pass it, to see the year it is writing. */
  async all(tx?: TransactionScope): Promise<CalendarYearEntity[]> {
    return managerOf(this.dataSource, tx).find(CalendarYearEntity, { order: { year: 'ASC' } });
  }

  async find(year: number): Promise<CalendarYearEntity | undefined> {
    return (await this.dataSource.manager.findOneBy(CalendarYearEntity, { year })) ?? undefined;
  }

  /** Writes the year, replacing an earlier load of it. */
  async save(tx: TransactionScope, row: CalendarYearEntity): Promise<void> {
    await managerOf(this.dataSource, tx).upsert(CalendarYearEntity, row, ['year']);
  }

  /** Inserts the years that have no row yet; never overwrites one (concurrent first starts insert alike). */
  async insertMissing(rows: CalendarYearEntity[]): Promise<void> {
    await this.dataSource.createQueryBuilder().insert().into(CalendarYearEntity).values(rows).orIgnore().execute();
  }

  /** The manager of a transaction, for listeners that write their own tables in it. */
  managerOf(tx: TransactionScope): EntityManager {
    return managerOf(this.dataSource, tx);
  }
}
