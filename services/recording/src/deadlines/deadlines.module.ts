import { Module } from '@nestjs/common';
import { CalendarYearEntity } from '../calendar/calendar-year.entity';
import { CalendarModule } from '../calendar/calendar.module';
import { CaseStoreModule } from '../cases/case-store.module';
import { CalendarAndDeadlines1763700006000 } from '../migrations/1763700006000-calendar-and-deadlines';
import { DeadlineClockAndPayments1763700013500 } from '../migrations/1763700013500-deadline-clock-and-payments';
import { RecordsModule } from '../records/records.module';
import { CaseDeadlineEntity } from './case-deadline.entity';
import { CaseDeadlineRepository } from './case-deadline.repository';
import { DeadlineBoardService } from './deadline-board.service';
import { DeadlineSettingsController } from './deadline-settings.controller';
import { AgencyDeadlineSettingsEntity } from './deadline-settings.entity';
import { DeadlineSettingsRepository } from './deadline-settings.repository';
import { DeadlineSettingsService } from './deadline-settings.service';
import { DeadlineTrackerService } from './deadline-tracker.service';
import { DeadlinesController } from './deadlines.controller';

/** Add to the service's entities and migrations (the calendar's table and the deadlines'). */
export const CALENDAR_AND_DEADLINE_ENTITIES = [CalendarYearEntity, CaseDeadlineEntity, AgencyDeadlineSettingsEntity];
export const CALENDAR_AND_DEADLINE_MIGRATIONS = [CalendarAndDeadlines1763700006000, DeadlineClockAndPayments1763700013500];

/**
 * Statutory periods of cases: DeadlineTrackerService follows every appended record (RecordAppended on the
 * DomainEventBus), and the case and supervision lists.
 */
@Module({
  imports: [CalendarModule, CaseStoreModule, RecordsModule],
  controllers: [DeadlinesController, DeadlineSettingsController],
  providers: [DeadlineTrackerService, DeadlineBoardService, DeadlineSettingsService, CaseDeadlineRepository, DeadlineSettingsRepository],
  exports: [DeadlineTrackerService],
})
export class DeadlinesModule {}
