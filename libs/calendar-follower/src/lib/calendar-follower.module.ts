import { Module, type DynamicModule } from '@nestjs/common';
import { CALENDAR_FOLLOWER_OPTIONS, CalendarFollowerService, type CalendarFollowerOptions } from './calendar-follower.service';
import { FollowedCalendarYearEntity } from './followed-calendar-year.entity';
import { FollowedCalendarYearRepository } from './followed-calendar-year.repository';
import { FollowedCalendar1763900000000 } from './followed-calendar.migration';

/** Add to the service's entities and migrations. */
export const CALENDAR_FOLLOWER_ENTITIES = [FollowedCalendarYearEntity];
export const CALENDAR_FOLLOWER_MIGRATIONS = [FollowedCalendar1763900000000];

/**
 * The working-day calendar for a service that follows recording's: CalendarFollowerService, fed by CalendarYearLoaded.
 * Needs the runtime (DataSource, the event inbox).
 */
@Module({ providers: [CalendarFollowerService, FollowedCalendarYearRepository], exports: [CalendarFollowerService] })
export class CalendarFollowerModule {
  static forRoot(options: Partial<CalendarFollowerOptions> = {}): DynamicModule {
    return {
      module: CalendarFollowerModule,
      providers: [{ provide: CALENDAR_FOLLOWER_OPTIONS, useValue: options }],
    };
  }
}
