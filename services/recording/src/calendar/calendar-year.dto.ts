import { ApiProperty } from '@nestjs/swagger';
import { ISO_DAY } from '@enforcement/calendar';
import { ArrayMaxSize, IsArray, IsString, Length, Matches } from 'class-validator';

/** A year's arrangement as the State Council General Office notice gives it; checked further by the service. */
export class CalendarYearDto {
  @ApiProperty({ description: 'Every day off of the holiday periods (weekend days inside them included)', example: ['2025-01-01'] })
  @IsArray()
  @ArrayMaxSize(366)
  @Matches(ISO_DAY, { each: true, message: 'holidays 中的日期应为 YYYY-MM-DD' })
  holidays: string[];

  @ApiProperty({ description: 'Saturdays and Sundays that are working days (调休上班)', example: ['2025-01-26', '2025-02-08'] })
  @IsArray()
  @ArrayMaxSize(366)
  @Matches(ISO_DAY, { each: true, message: 'workingWeekendDays 中的日期应为 YYYY-MM-DD' })
  workingWeekendDays: string[];

  @ApiProperty({ description: 'Where the data comes from', example: '国务院办公厅关于2027年部分节假日安排的通知' })
  @IsString()
  @Length(1, 2000)
  source: string;
}
