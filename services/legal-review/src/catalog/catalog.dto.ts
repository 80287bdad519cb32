import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { REVIEW_GROUNDS, type ReviewGround } from '../review-core/catalog';
import { PENALTY_KINDS, PROPOSAL_FLAGS, type PenaltyKind, type ProposalFlag } from '../review-core/proposal';

const MAX_FEN = 1e15;

export class AmountByPartyDto {
  @ApiPropertyOptional({ description: 'Fen (分) for a natural person' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_FEN)
  'natural-person'?: number;

  @ApiPropertyOptional({ description: 'Fen (分) for an organisation' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_FEN)
  organisation?: number;
}

/** The criteria of a rule or a collective-decision condition: all given must hold. */
export class CatalogCriteriaDto {
  @ApiProperty({ example: 'R-001' })
  @IsString()
  @Length(1, 64)
  id: string;

  @ApiProperty({ example: '吊销许可证件' })
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiPropertyOptional({ example: ['market-regulation'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  domains?: string[];

  @ApiPropertyOptional({ enum: PENALTY_KINDS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsIn(PENALTY_KINDS, { each: true })
  penaltyKinds?: PenaltyKind[];

  @ApiPropertyOptional({ type: AmountByPartyDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AmountByPartyDto)
  minFineTotalFen?: AmountByPartyDto;

  @ApiPropertyOptional({ type: AmountByPartyDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AmountByPartyDto)
  minConfiscationTotalFen?: AmountByPartyDto;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  hearingHeld?: boolean;

  @ApiPropertyOptional({ enum: PROPOSAL_FLAGS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @IsIn(PROPOSAL_FLAGS, { each: true })
  flags?: ProposalFlag[];

  @ApiPropertyOptional({ example: ['local-regulation-article-12'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  conditions?: string[];
}

export class CatalogRuleDto extends CatalogCriteriaDto {
  @ApiProperty({ enum: REVIEW_GROUNDS, description: 'The ground of Administrative Penalty Law Art. 58 para. 1' })
  @IsIn(REVIEW_GROUNDS)
  ground: ReviewGround;
}

export class PartyAmountsDto {
  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  'natural-person': number;

  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  organisation: number;
}

export class HearingThresholdsDto {
  @ApiProperty({ type: PartyAmountsDto, description: 'The large fine (较大数额罚款) of Art. 63, in fen' })
  @IsObject()
  @ValidateNested()
  @Type(() => PartyAmountsDto)
  largeFineFen: PartyAmountsDto;

  @ApiProperty({ type: PartyAmountsDto, description: 'The large confiscation of Art. 63, in fen' })
  @IsObject()
  @ValidateNested()
  @Type(() => PartyAmountsDto)
  largeConfiscationFen: PartyAmountsDto;
}

/** A new version of the agency's catalog, published whole. */
export class PublishCatalogDto {
  @ApiProperty({ type: [CatalogRuleDto] })
  @IsArray()
  @ArrayMaxSize(5000)
  @ValidateNested({ each: true })
  @Type(() => CatalogRuleDto)
  rules: CatalogRuleDto[];

  @ApiProperty({ type: HearingThresholdsDto })
  @IsObject()
  @ValidateNested()
  @Type(() => HearingThresholdsDto)
  hearingThresholds: HearingThresholdsDto;

  @ApiProperty({ type: [CatalogCriteriaDto], description: 'When the leadership decides collectively (Art. 57 para. 2)' })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => CatalogCriteriaDto)
  collectiveDecisionConditions: CatalogCriteriaDto[];

  @ApiPropertyOptional({ default: 5, description: 'Working days a review round may take' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  reviewWorkingDays?: number;

  @ApiPropertyOptional({ description: 'What changed, for the version history' })
  @IsOptional()
  @IsString()
  @Length(0, 500)
  note?: string;
}
