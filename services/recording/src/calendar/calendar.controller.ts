import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import { ApiErrors } from '@enforcement/service-runtime';
import { CalendarYearDto } from './calendar-year.dto';
import type { CalendarYearEntity } from './calendar-year.entity';
import { CalendarService } from './calendar.service';

/**
 * The holiday arrangement the working-day periods count with (Art. 85). Anyone signed in may read it; only a
 * system administrator loads a year, from the State Council General Office's notice.
 */
@ApiTags('calendar')
@ApiBearerAuth()
@Controller('calendar/years')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @ApiOperation({ summary: 'List the working-day calendar years loaded' })
  @Get()
  list(): Promise<CalendarYearEntity[]> {
    return this.calendar.listYears();
  }

  @ApiOperation({ summary: 'Get a year of the working-day calendar' })
  @Get(':year')
  get(@Param('year') year: string): Promise<CalendarYearEntity> {
    return this.calendar.getYear(yearNumber(year));
  }

  @ApiOperation({ summary: 'Load a year of the working-day calendar' })
  @ApiErrors(422)
  @Put(':year')
  @Roles('system-admin')
  @ApiOkResponse({ description: 'The year was loaded; open deadlines in working days were recomputed with it' })
  load(@Param('year') year: string, @Body() input: CalendarYearDto, @CurrentUser() user: AuthenticatedUser): Promise<CalendarYearEntity> {
    return this.calendar.loadYear(yearNumber(year), input, user);
  }
}

/** NaN for anything but four digits, which the service refuses with a VALIDATION_FAILED on `year`. */
function yearNumber(text: string): number {
  return /^\d{4}$/.test(text) ? Number(text) : Number.NaN;
}
