import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { DISCRETION_BANDS, type DiscretionBand } from '../review-core/discretion-benchmark';
import { PENALTY_KINDS, type PenaltyKind } from '../review-core/proposal';

export class FenRangeDto {
  @ApiProperty()
  @IsInt()
  @Min(0)
  @Max(1e15)
  min: number;

  @ApiProperty()
  @IsInt()
  @Min(0)
  @Max(1e15)
  max: number;
}

export class MultipleRangeDto {
  @ApiProperty({ example: 5 })
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(1000)
  min: number;

  @ApiProperty({ example: 10 })
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(1000)
  max: number;
}

export class BandSpecDto {
  @ApiProperty({ enum: PENALTY_KINDS, isArray: true })
  @IsArray()
  @ArrayMaxSize(20)
  @IsIn(PENALTY_KINDS, { each: true })
  penaltyKinds: PenaltyKind[];

  @ApiPropertyOptional({
    type: FenRangeDto,
    description: 'The fine range in fen (when there are no illegal gains, if multiples are also given)',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => FenRangeDto)
  fineFen?: FenRangeDto;

  @ApiPropertyOptional({ type: MultipleRangeDto, description: 'The fine as multiples of the illegal gains (违法所得的倍数)' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MultipleRangeDto)
  fineGainsMultiple?: MultipleRangeDto;
}

export class BandsDto {
  @ApiPropertyOptional({ type: BandSpecDto, description: '不予处罚' })
  @IsOptional()
  @ValidateNested()
  @Type(() => BandSpecDto)
  'no-penalty'?: BandSpecDto;

  @ApiPropertyOptional({ type: BandSpecDto, description: '减轻处罚' })
  @IsOptional()
  @ValidateNested()
  @Type(() => BandSpecDto)
  mitigated?: BandSpecDto;

  @ApiPropertyOptional({ type: BandSpecDto, description: '从轻处罚' })
  @IsOptional()
  @ValidateNested()
  @Type(() => BandSpecDto)
  lenient?: BandSpecDto;

  @ApiPropertyOptional({ type: BandSpecDto, description: '一般处罚' })
  @IsOptional()
  @ValidateNested()
  @Type(() => BandSpecDto)
  general?: BandSpecDto;

  @ApiPropertyOptional({ type: BandSpecDto, description: '从重处罚' })
  @IsOptional()
  @ValidateNested()
  @Type(() => BandSpecDto)
  heavier?: BandSpecDto;
}

/** One violation of the discretion benchmark, saved whole. */
export class BenchmarkEntryDto {
  @ApiProperty({ example: '生产经营超范围、超限量使用食品添加剂的食品' })
  @IsString()
  @Length(1, 500)
  description: string;

  @ApiProperty({ example: '《中华人民共和国食品安全法》第三十四条' })
  @IsString()
  @Length(1, 500)
  legalBasis: string;

  @ApiProperty({ example: '《中华人民共和国食品安全法》第一百二十四条' })
  @IsString()
  @Length(1, 500)
  penaltyBasis: string;

  @ApiProperty({ type: BandsDto })
  @IsObject()
  @ValidateNested()
  @Type(() => BandsDto)
  bands: BandsDto;
}

export class PenaltyDto {
  @ApiProperty({ enum: PENALTY_KINDS })
  @IsIn(PENALTY_KINDS)
  kind: PenaltyKind;

  @ApiPropertyOptional({ description: 'Fen (分)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1e15)
  amountFen?: number;
}

/** A proposed penalty to check against the benchmark before it is submitted. */
export class DiscretionCheckDto {
  @ApiProperty({ enum: DISCRETION_BANDS })
  @IsIn(DISCRETION_BANDS)
  band: DiscretionBand;

  @ApiProperty({ type: [PenaltyDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => PenaltyDto)
  penalties: PenaltyDto[];

  @ApiPropertyOptional({ description: 'Illegal gains (违法所得) in fen' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1e15)
  illegalGainsFen?: number;

  @ApiPropertyOptional({ description: 'Why the penalty departs from the band (required outside it)' })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  outOfBandReason?: string;
}
