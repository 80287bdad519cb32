import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import type { DisclosureStatus } from './disclosure.entity';

const STATUSES: DisclosureStatus[] = ['pending-review', 'published', 'withdrawn', 'expired', 'not-published', 'cancelled'];

export class DisclosureQueueQuery {
  @ApiPropertyOptional({ enum: STATUSES, default: 'pending-review' })
  @IsOptional()
  @IsIn(STATUSES)
  status?: DisclosureStatus;

  @ApiPropertyOptional({ description: 'Only decisions past their publication deadline, not yet published' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class ApproveDisclosureDto {
  @ApiPropertyOptional({
    type: [String],
    description: 'Natural persons the redaction missed (witnesses, relatives): removed before the text goes out',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  otherPersons?: string[];
}
