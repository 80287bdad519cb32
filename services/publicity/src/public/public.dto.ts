import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@enforcement/service-runtime';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class PublicDecisionQuery extends PageQuery({ defaultLimit: 20, maxLimit: 100 }) {
  @ApiPropertyOptional({ description: 'Keyword, found inside words (食品 finds 食品经营许可)', example: '食品' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  q?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  agencyId?: string;

  @ApiPropertyOptional({ example: 'market-regulation' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  domain?: string;

  @ApiPropertyOptional({ example: 'fine' })
  @IsOptional()
  @Matches(/^[a-z_-]{1,40}$/, { message: 'penaltyKind 应为处罚类别代码' })
  penaltyKind?: string;

  @ApiPropertyOptional({ description: 'First decision day (Shanghai), YYYY-MM-DD' })
  @IsOptional()
  @Matches(DAY, { message: 'from 应为 YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ description: 'Last decision day (Shanghai), YYYY-MM-DD' })
  @IsOptional()
  @Matches(DAY, { message: 'to 应为 YYYY-MM-DD' })
  to?: string;
}

/** A format and, optionally, one agency: what the statistics take, and the open data too. */
export class StatisticsQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  agencyId?: string;
}

/** The open data: the statistics' query with a period. */
export class OpenDataQuery extends StatisticsQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(DAY, { message: 'from 应为 YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(DAY, { message: 'to 应为 YYYY-MM-DD' })
  to?: string;
}

export const DAY_PATTERN = DAY;
