import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { calendarYearProblems, OFFICIAL_CALENDAR_YEARS, WorkingDayCalendar, type CalendarYear } from '@enforcement/calendar';
import { Events, timestampDate, type recordingV1 } from '@enforcement/contracts';
import { OnEvent, type EventContext } from '@enforcement/events';
import { FollowedCalendarYearRepository } from './followed-calendar-year.repository';

export const CALENDAR_FOLLOWER_OPTIONS = Symbol('CALENDAR_FOLLOWER_OPTIONS');

export interface CalendarFollowerOptions {
  /**
   * How often the table is read again, for the loads another replica of the service received (each event goes
   * to one replica of a consumer group); 0 never.
   */
  refreshIntervalMs: number;
}

export const DEFAULT_CALENDAR_REFRESH_MS = 60_000;

/**
 * The working-day calendar (Art. 85) of a service that counts working days but does not own the calendar.
 * Recording owns it; this follows its CalendarYearLoaded events into `followed_calendar_years` and keeps the
 * calendar in memory: the official years shipped in libs/calendar, each replaced by what the owner published
 * for that year. Reading it is synchronous and costs nothing.
 */
@Injectable()
export class CalendarFollowerService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(CalendarFollowerService.name);
  private readonly options: CalendarFollowerOptions;
  private followed = new Map<number, CalendarYear & { loadedAt: Date }>();
  private current = new WorkingDayCalendar(OFFICIAL_CALENDAR_YEARS);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly years: FollowedCalendarYearRepository,
    @Optional() @Inject(CALENDAR_FOLLOWER_OPTIONS) options?: Partial<CalendarFollowerOptions>,
  ) {
    this.options = { refreshIntervalMs: DEFAULT_CALENDAR_REFRESH_MS, ...options };
  }

  async onModuleInit(): Promise<void> {
    await this.refresh();
    if (this.options.refreshIntervalMs > 0) {
      this.timer = setInterval(() => {
        this.refresh().catch((error: unknown) =>
          this.logger.warn(`could not read the followed calendar: ${error instanceof Error ? error.message : String(error)}`),
        );
      }, this.options.refreshIntervalMs);
      this.timer.unref();
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  calendar(): WorkingDayCalendar {
    return this.current;
  }

  /** The owner loaded a year: kept unless a later load of that year is already here. */
  @OnEvent(Events.CalendarYearLoaded)
  async onCalendarYearLoaded(event: recordingV1.CalendarYearLoaded, { manager }: EventContext): Promise<void> {
    if (!event.loadedAt) throw new Error(`CalendarYearLoaded ${event.year} without loaded_at`);
    const year = { year: event.year, holidays: [...event.holidays].sort(), workingWeekendDays: [...event.workingWeekendDays].sort() };
    const problems = calendarYearProblems(year);
    // The owner validated it: a year that fails here is a fault to look at (dead-lettered), not data to count with.
    if (problems.length > 0) throw new Error(`CalendarYearLoaded ${event.year} is invalid: ${JSON.stringify(problems)}`);
    const loadedAt = timestampDate(event.loadedAt);
    const stored = await this.years.findYear(manager, event.year);
    if (stored && stored.loadedAt.getTime() >= loadedAt.getTime()) return;
    await this.years.save(manager, { ...year, source: event.source, loadedAt });
    this.use([...this.followed.values()].filter((known) => known.year !== event.year).concat({ ...year, loadedAt }));
  }

  /** Reads the followed years again (at start, and now and then for loads another replica received). */
  async refresh(): Promise<void> {
    this.use(await this.years.all());
  }

  private use(years: ReadonlyArray<CalendarYear & { loadedAt: Date }>): void {
    this.followed = new Map(years.map((year) => [year.year, year]));
    const shipped = OFFICIAL_CALENDAR_YEARS.filter((official) => !this.followed.has(official.year));
    this.current = new WorkingDayCalendar([...shipped, ...this.followed.values()]);
  }
}
