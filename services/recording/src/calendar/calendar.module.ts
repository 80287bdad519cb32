import { Module } from '@nestjs/common';
import { CalendarYearRepository } from './calendar-year.repository';
import { CalendarController } from './calendar.controller';
import { CalendarService } from './calendar.service';

/** The working-day calendar (Art. 85): `calendar_years`, its endpoints, and CalendarService for others. */
@Module({ controllers: [CalendarController], providers: [CalendarYearRepository, CalendarService], exports: [CalendarService] })
export class CalendarModule {}
