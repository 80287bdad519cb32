import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import {
  calendarYearProblems,
  isCalendarYearNumber,
  MAX_CALENDAR_YEAR,
  MIN_CALENDAR_YEAR,
  normalizedCalendarYear,
  OFFICIAL_CALENDAR_YEARS,
  SEED_LOADER,
  WorkingDayCalendar,
} from '@enforcement/calendar';
import { Events, timestampFromDate } from '@enforcement/contracts';
import { TransactionalOutbox } from '@enforcement/events';
import type { EntityManager } from 'typeorm';
import type { TransactionScope } from '../case-core/ports';
import { RecordingError } from '../case-core/recording.error';
import type { CalendarYearEntity } from './calendar-year.entity';
import { CalendarYearRepository } from './calendar-year.repository';

export interface CalendarYearInput {
  holidays: string[];
  workingWeekendDays: string[];
  source: string;
}

/**
 * Called inside the transaction that loads a year, with the calendar as it will be after the commit, so that
 * what depends on the calendar (deadlines in working days) changes together with it or not at all.
 */
export type CalendarChangeListener = (manager: EntityManager, calendar: WorkingDayCalendar) => Promise<void>;

/**
 * The working-day calendar of the platform (Art. 85), built from the years in `calendar_years` and kept in
 * memory; a write through this service refreshes it. Another process's write is seen after its restart.
 *
 * Recording owns the calendar: administrators load years here, and each load leaves as CalendarYearLoaded,
 * which the other services that count working days follow (libs/calendar-follower).
 */
@Injectable()
export class CalendarService implements OnModuleInit {
  private readonly logger = new Logger(CalendarService.name);
  private current?: Promise<WorkingDayCalendar>;
  private readonly listeners: CalendarChangeListener[] = [];

  constructor(
    private readonly years: CalendarYearRepository,
    private readonly outbox: TransactionalOutbox,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.seedOfficialYears();
    await this.calendar();
  }

  /** The calendar as loaded; cheap after the first call. */
  calendar(): Promise<WorkingDayCalendar> {
    this.current ??= this.build().catch((error: unknown) => {
      // A database hiccup must not stick: the next caller tries again.
      this.current = undefined;
      throw error;
    });
    return this.current;
  }

  onChange(listener: CalendarChangeListener): void {
    this.listeners.push(listener);
  }

  listYears(): Promise<CalendarYearEntity[]> {
    return this.years.all();
  }

  async getYear(year: number): Promise<CalendarYearEntity> {
    assertYearNumber(year);
    const found = await this.years.find(year);
    if (!found) {
      throw new RecordingError(
        'CALENDAR_YEAR_NOT_FOUND',
        `尚未载入${year}年节假日安排，该年工作日暂按周一至周五计算，相关期限会标注为"仅按工作日推算"`,
        'not-found',
      );
    }
    return found;
  }

  /** Loads (or replaces) a year's arrangement; the calendar and what depends on it change in one transaction. */
  async loadYear(year: number, input: CalendarYearInput, user: AuthenticatedUser): Promise<CalendarYearEntity> {
    assertYearNumber(year);
    const data = { year, holidays: input.holidays, workingWeekendDays: input.workingWeekendDays };
    const problems = calendarYearProblems(data);
    if (problems.length > 0) {
      throw new RecordingError('CALENDAR_YEAR_INVALID', '节假日安排数据有误，请对照国务院办公厅通知核对后重新提交', 'refused', {
        problems,
      });
    }
    const normalized = normalizedCalendarYear(data);
    const row: CalendarYearEntity = {
      year,
      holidays: [...normalized.holidays],
      workingWeekendDays: [...normalized.workingWeekendDays],
      source: input.source.trim(),
      loadedBy: user.userId,
      loadedAt: new Date(),
    };
    try {
      await this.outbox.run(async (tx) => {
        await this.years.save(tx, row);
        const calendar = await this.build(tx);
        for (const listener of this.listeners) await listener(this.years.managerOf(tx), calendar);
        await tx.emit(
          Events.CalendarYearLoaded,
          {
            year,
            holidays: row.holidays,
            workingWeekendDays: row.workingWeekendDays,
            source: row.source,
            loadedAt: timestampFromDate(row.loadedAt),
          },
          { partitionKey: `calendar-year-${year}`, actingUserId: user.userId },
        );
      });
    } finally {
      // Rebuilt from what is committed, whoever else wrote meanwhile.
      this.current = undefined;
    }
    await this.calendar();
    this.logger.log(
      `calendar year ${year} loaded by ${user.userId}: ${row.holidays.length} holidays, ${row.workingWeekendDays.length} working weekend days`,
    );
    return row;
  }

  /** Inserts each shipped year that has no data yet; never overwrites an administrator's. */
  private async seedOfficialYears(): Promise<void> {
    const loadedAt = new Date();
    // The followers ship the same official years: only administrators' loads need to travel as events.
    await this.years.insertMissing(
      OFFICIAL_CALENDAR_YEARS.map(({ year, holidays, workingWeekendDays, source }) => ({
        year,
        holidays: [...holidays],
        workingWeekendDays: [...workingWeekendDays],
        source,
        loadedBy: SEED_LOADER,
        loadedAt,
      })),
    );
  }

  private async build(tx?: TransactionScope): Promise<WorkingDayCalendar> {
    const rows = await this.years.all(tx);
    const usable = rows.filter((row) => {
      const problems = calendarYearProblems(row);
      if (problems.length === 0) return true;
      // A row edited by hand into something invalid: its year falls back to weekdays and is flagged as such,
      // rather than the whole service refusing to start.
      this.logger.error(`calendar year ${row.year} is invalid and ignored: ${JSON.stringify(problems)}`);
      return false;
    });
    return new WorkingDayCalendar(usable);
  }
}

function assertYearNumber(year: number): void {
  if (!isCalendarYearNumber(year)) {
    throw new RecordingError('VALIDATION_FAILED', '提交的数据不符合要求，请检查后重试', 'invalid', {
      problems: [{ field: 'year', problems: [`year must be an integer from ${MIN_CALENDAR_YEAR} to ${MAX_CALENDAR_YEAR}`] }],
    });
  }
}
