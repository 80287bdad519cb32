import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { CalendarYearEntity } from '../calendar/calendar-year.entity';
import { CaseAccess } from '../cases/case-access.service';
import { CalendarAndDeadlines1763700006000 } from '../migrations/1763700006000-calendar-and-deadlines';
import { CaseDeadlineEntity } from './case-deadline.entity';
import { DeadlineBoard } from './deadline-board.service';
import { DeadlineTracker } from './deadline-tracker.service';
import { DeadlinesController } from './deadlines.controller';

/** Add to the service's entities and migrations (the calendar's table and the deadlines'). */
export const CALENDAR_AND_DEADLINE_ENTITIES = [CalendarYearEntity, CaseDeadlineEntity];
export const CALENDAR_AND_DEADLINE_MIGRATIONS = [CalendarAndDeadlines1763700006000];

/**
 * Statutory periods of cases: DeadlineTracker (exported) for the recording flow to call with each appended
 * record, and the case and supervision lists.
 */
@Module({
  imports: [CalendarModule],
  controllers: [DeadlinesController],
  providers: [DeadlineTracker, DeadlineBoard, CaseAccess],
  exports: [DeadlineTracker],
})
export class DeadlinesModule {}
