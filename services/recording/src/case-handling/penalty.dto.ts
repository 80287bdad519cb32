import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Min } from 'class-validator';
import { PENALTY_KINDS, type PenaltyKind } from '../case-core/penalties';

export class PenaltyDto {
  @ApiProperty({ enum: PENALTY_KINDS })
  @IsIn(PENALTY_KINDS)
  kind: PenaltyKind;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'Fines and confiscated sums, in fen' })
  @IsOptional()
  @IsInt()
  @Min(0)
  amountFen?: number;
}
