import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@enforcement/service-runtime';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { REVIEW_ITEMS, type ReviewItem, type ReviewOutcome, type ReviewStatus } from '../review-core/review';

export class ItemFindingDto {
  @ApiProperty({ enum: REVIEW_ITEMS })
  @IsIn(REVIEW_ITEMS)
  item: ReviewItem;

  @ApiProperty({ enum: ['pass', 'problem'], description: "On possible-crime, 'problem' means the conduct may be a crime" })
  @IsIn(['pass', 'problem'])
  result: 'pass' | 'problem';

  @ApiPropertyOptional({ description: 'Required for a problem' })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  comment?: string;
}

export class ConcludeReviewDto {
  @ApiProperty({ enum: ['approved', 'returned', 'rejected'] })
  @IsIn(['approved', 'returned', 'rejected'])
  outcome: ReviewOutcome;

  @ApiProperty({ type: [ItemFindingDto], description: 'Every item of the 2018 guidance once' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(REVIEW_ITEMS.length * 2)
  @ValidateNested({ each: true })
  @Type(() => ItemFindingDto)
  items: ItemFindingDto[];

  @ApiProperty({ description: 'The review opinion (审核意见)' })
  @IsString()
  @Length(1, 5000)
  opinion: string;
}

export class AssignReviewDto {
  @ApiPropertyOptional({ description: 'The reviewer; absent: the eligible reviewer with the fewest open reviews' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  reviewerOfficerId?: string;
}

export class ExtendReviewDto {
  @ApiProperty({ minimum: 1, maximum: 30 })
  @IsInt()
  @Min(1)
  @Max(30)
  workingDays: number;

  @ApiProperty()
  @IsString()
  @Length(1, 2000)
  reason: string;
}

export class ReviewListQuery extends PageQuery({ defaultLimit: 50, maxLimit: 200 }) {
  @ApiPropertyOptional({ enum: ['pending', 'assigned', 'returned', 'approved', 'rejected'] })
  @IsOptional()
  @IsIn(['pending', 'assigned', 'returned', 'approved', 'rejected'])
  status?: ReviewStatus;

  @ApiPropertyOptional({ description: 'Only open reviews past their period' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  agencyId?: string;
}

export class StaffingQuery {
  @ApiProperty({ example: '2026-03' })
  @IsString()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month 应为 YYYY-MM' })
  month: string;
}
