import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { isValidCreditCode, isValidResidentId } from '@enforcement/identifiers';
import { IsInstantNotBefore } from '@enforcement/service-runtime';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { STEP_TYPES, type StepType } from '../case-core/step-types';
import { PenaltyDto } from './penalty.dto';
import { IsStepFields } from './step-fields.dto';

export { PenaltyDto } from './penalty.dto';

export class PartyContactDto {
  @ApiPropertyOptional({ example: '13800000000' })
  @IsOptional()
  @Matches(/^[0-9+\-() ]{5,20}$/, { message: 'phone 格式不正确' })
  phone?: string;

  @ApiPropertyOptional({ example: '上海市黄浦区南京东路1号' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  address?: string;
}

/** Checked against the party's kind, with the standards' check characters, so a mistyped number is refused. */
function IsPartyIdentifier(): PropertyDecorator {
  return ValidateBy({
    name: 'isPartyIdentifier',
    validator: {
      validate: (value: unknown, args) => {
        if (typeof value !== 'string') return false;
        const kind = (args?.object as { kind?: unknown } | undefined)?.kind;
        return kind === 'organisation' ? isValidCreditCode(value) : isValidResidentId(value);
      },
      defaultMessage: (args) =>
        (args?.object as { kind?: unknown } | undefined)?.kind === 'organisation'
          ? 'identifier 应为有效的统一社会信用代码（18 位，含校验码）'
          : 'identifier 应为有效的公民身份号码（18 位，出生日期有效，含校验码）',
    },
  });
}

export class PartyDto {
  @ApiProperty({ enum: ['natural-person', 'organisation'] })
  @IsIn(['natural-person', 'organisation'])
  kind: 'natural-person' | 'organisation';

  @ApiProperty({ example: '上海某某餐饮有限公司' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({
    description:
      'A natural person: the 18-character resident ID number (GB 11643, check character included); an organisation: ' +
      'its unified social credit code (GB 32100, check character included). Encrypted at rest.',
  })
  @IsString()
  @IsPartyIdentifier()
  identifier: string;

  @ApiProperty({ type: PartyContactDto })
  @ValidateNested()
  @Type(() => PartyContactDto)
  contact: PartyContactDto;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  isMinor?: boolean;
}

export class OpenCaseDto {
  @ApiProperty({ example: 'market-regulation' })
  @IsString()
  @Length(1, 64)
  domain: string;

  @ApiProperty({ example: '310101' })
  @Matches(/^\d{6}$/, { message: 'regionCode 应为 6 位行政区划代码' })
  regionCode: string;

  @ApiProperty({ enum: ['simplified', 'general'] })
  @IsIn(['simplified', 'general'])
  procedure: 'simplified' | 'general';

  @ApiProperty({ type: PartyDto })
  @ValidateNested()
  @Type(() => PartyDto)
  party: PartyDto;

  @ApiProperty({ example: '销售过期食品' })
  @IsString()
  @Length(2, 2000)
  allegedViolation: string;

  @ApiProperty({ example: '《中华人民共和国食品安全法》第一百二十四条' })
  @IsString()
  @Length(2, 2000)
  legalBasis: string;

  @ApiProperty({ description: 'Handling officers besides the caller; at least two officers in all (Art. 42)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  coOfficerIds: string[];

  @ApiPropertyOptional({ description: 'Complex case or serious violation: needs a collective decision (Art. 57)' })
  @IsOptional()
  @IsBoolean()
  requiresCollectiveDecision?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  place?: string;

  @ApiPropertyOptional({
    description: 'When the case was opened (立案), if not now; certificates are checked at that moment',
    example: '2026-03-02T09:30:00+08:00',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsInstantNotBefore()
  occurredAt?: string;

  @ApiPropertyOptional({ description: 'Why the opening is entered long after it happened (required then; Art. 47)' })
  @IsOptional()
  @IsString()
  @Length(2, 2000)
  lateEntryReason?: string;
}

export class RecordStepDto {
  @ApiProperty({ enum: STEP_TYPES })
  @IsIn(STEP_TYPES)
  stepType: StepType;

  @ApiProperty({ format: 'date-time', example: '2026-03-02T09:30:00+08:00' })
  @IsISO8601({ strict: true })
  @IsInstantNotBefore()
  occurredAt: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'End of the step, for audio/video coverage' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsInstantNotBefore()
  endedAt?: string;

  @ApiProperty({ example: '上海市黄浦区南京东路1号店内' })
  @IsString()
  @Length(1, 500)
  place: string;

  @ApiPropertyOptional({
    type: 'string',
    format: 'uuid',
    isArray: true,
    description: 'Officers acting with the caller (on-site steps need two)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  coOfficerIds?: string[];

  @ApiPropertyOptional({ description: 'Structured fields of the step type: see the step bodies, one per type' })
  @IsOptional()
  @IsObject()
  @IsStepFields()
  fields?: Record<string, unknown>;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100_000)
  text?: string;

  @ApiPropertyOptional({ type: 'string', format: 'uuid', isArray: true, description: 'Sealed audio/video items covering this step' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  evidenceIds?: string[];

  @ApiPropertyOptional({ description: 'Why required audio/video does not cover the step' })
  @IsOptional()
  @IsString()
  @Length(10, 2000)
  audioVideoGapJustification?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The record a correction corrects' })
  @IsOptional()
  @IsUUID()
  correctsRecordId?: string;

  @ApiPropertyOptional({
    description: 'Why the step is entered long after it happened (required past the agency limit, default 24 hours; Art. 47)',
  })
  @IsOptional()
  @IsString()
  @Length(2, 2000)
  lateEntryReason?: string;
}

export class AlterDecisionDto {
  @ApiProperty({ enum: ['changed', 'revoked', 'confirmed-illegal', 'confirmed-void'] })
  @IsIn(['changed', 'revoked', 'confirmed-illegal', 'confirmed-void'])
  kind: 'changed' | 'revoked' | 'confirmed-illegal' | 'confirmed-void';

  @ApiProperty({ example: '行政复议决定撤销' })
  @IsString()
  @Length(2, 2000)
  reason: string;

  @ApiPropertyOptional({
    description: 'For `changed` only, and required then: the penalties as changed, `[{ kind, amountFen }]` (Art. 59)',
    example: [{ kind: 'fine', amountFen: 200000 }],
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => PenaltyDto)
  penalties?: PenaltyDto[];

  @ApiPropertyOptional({
    description: 'What the alteration rests on: the reconsideration or court decision, its number',
    example: '沪黄府复〔2026〕12号',
  })
  @IsOptional()
  @IsString()
  @Length(2, 500)
  basis?: string;

  @ApiPropertyOptional({
    description: 'For `changed` only: the facts as the change decision states them; the decision’s own stand otherwise',
  })
  @IsOptional()
  @IsString()
  @Length(2, 4000)
  facts?: string;

  @ApiPropertyOptional({
    description: 'For `changed` only: the legal basis as the change decision states it; the case’s stands otherwise',
  })
  @IsOptional()
  @IsString()
  @Length(2, 1000)
  legalBasis?: string;

  @ApiPropertyOptional({
    description: 'For `changed` only: the change decision’s own number, when it has one (the decision is published under it)',
    example: '沪市监黄处罚〔2026〕88号',
  })
  @IsOptional()
  @IsString()
  @Length(2, 100)
  changedDecisionNumber?: string;

  @ApiPropertyOptional({ description: 'For `changed` only: the change decision’s document text, as published after redaction' })
  @IsOptional()
  @IsString()
  @Length(2, 20000)
  decisionText?: string;
}
