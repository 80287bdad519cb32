import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@enforcement/service-runtime';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

export const DEADLINE_LIST_STATES = ['nearing', 'overdue', 'suspended'] as const;
export type DeadlineListState = (typeof DEADLINE_LIST_STATES)[number];

export class DeadlineListQuery extends PageQuery({ defaultLimit: 100, maxLimit: 500 }) {
  @ApiProperty({
    enum: DEADLINE_LIST_STATES,
    description:
      'nearing: open and due within `withinWorkingDays`; overdue: open and past due; suspended: standing still while the case is suspended (Art. 60)',
  })
  @IsIn(DEADLINE_LIST_STATES)
  state: DeadlineListState;

  @ApiPropertyOptional({ description: 'GB/T 2260 division: the cases in it and below', example: '310101' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'regionCode 应为 6 位行政区划代码' })
  regionCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 36)
  agencyId?: string;

  @ApiPropertyOptional({ description: 'For state=nearing: working days ahead', default: 3, minimum: 0, maximum: 30 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(30)
  withinWorkingDays?: number;
}
