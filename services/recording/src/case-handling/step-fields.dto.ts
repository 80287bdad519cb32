import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  validateSync,
  type ValidationError,
} from 'class-validator';
import { CLOSING_REASONS } from '../case-core/closing';
import { SERVICE_METHODS, type StepType } from '../case-core/step-types';
import { PenaltyDto } from './penalty.dto';

/*
 * The `fields` of each step type: one class per type, whose decorators both validate a step's fields (IsStepFields)
 * and describe them in the OpenAPI document (RecordStepBodies). The classes check the type of each field they name;
 * where the procedure rules refuse a missing or unknown value with a code of their own (named in the description),
 * the rules keep doing so, with the article. Fields a type does not name are recorded as given.
 */

const refusal = (description: string, code?: string) => (code ? `${description}. Missing or invalid: ${code}` : description);

function Text(description: string, options: { maxLength?: number; enum?: readonly string[]; refusedWith?: string } = {}) {
  const maxLength = options.maxLength ?? 2000;
  return applyDecorators(
    ApiPropertyOptional({ type: 'string', description: refusal(description, options.refusedWith), maxLength, enum: options.enum }),
    IsOptional(),
    IsString(),
    MaxLength(maxLength),
  );
}

function Flag(description: string) {
  return applyDecorators(ApiPropertyOptional({ type: 'boolean', description }), IsOptional(), IsBoolean());
}

function Instant(description: string, refusedWith?: string) {
  return applyDecorators(
    ApiPropertyOptional({ type: 'string', format: 'date-time', description: refusal(description, refusedWith) }),
    IsOptional(),
    IsISO8601({ strict: true }),
  );
}

function Fen(description: string) {
  return applyDecorators(ApiPropertyOptional({ type: 'integer', minimum: 0, description }), IsOptional(), IsInt(), Min(0));
}

function TextList(description: string, options: { enum?: readonly string[]; refusedWith?: string } = {}) {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'string',
      isArray: true,
      enum: options.enum,
      maxItems: 50,
      description: refusal(description, options.refusedWith),
    }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(50),
    IsString({ each: true }),
  );
}

function Penalties(description: string, refusedWith: string) {
  return applyDecorators(
    ApiPropertyOptional({ type: PenaltyDto, isArray: true, maxItems: 20, description: refusal(description, refusedWith) }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(20),
    ValidateNested({ each: true }),
    Type(() => PenaltyDto),
  );
}

/** Steps whose fields the rules do not read: anything the officers want on record, as given. */
export class FreeStepFields {}

export class NoticeFields {
  @Penalties('The proposed penalties (Art. 44)', 'PENALTY_REQUIRED, FINE_AMOUNT_REQUIRED')
  penalties?: PenaltyDto[];

  @Text('The facts the party is told of; the decision states the same (Art. 44, 45)', { maxLength: 20_000 })
  facts?: string;

  @Text('The legal basis the party is told of', { maxLength: 20_000 })
  legalBasis?: string;

  @Text('Why a notice after the party’s statement or hearing is heavier: the facts found since (Art. 45)')
  changeReason?: string;

  @Flag('A serious violation: the decision needs the leaders’ collective discussion (Art. 57)')
  seriousViolation?: boolean;

  @Flag('A complex case: the decision needs the leaders’ collective discussion (Art. 57)')
  complex?: boolean;
}

export class RightsWaiverFields {
  @TextList('The rights given up', { enum: ['statement', 'hearing'], refusedWith: 'WAIVER_RIGHTS_REQUIRED' })
  waives?: string[];

  @Text('The party signed the waiver, or refused to sign before two officers', {
    enum: ['signed', 'refused'],
    refusedWith: 'WAIVER_SIGNATURE_REQUIRED',
  })
  partySignature?: string;
}

export class HearingNoticeFields {
  @Instant('When the hearing is held, seven working days after the notice at the earliest (Art. 64)', 'HEARING_TIME_REQUIRED')
  hearingAt?: string;

  @Text('Where the hearing is held', { maxLength: 500, refusedWith: 'HEARING_PLACE_REQUIRED' })
  hearingPlace?: string;
}

export class HearingFields {
  @Text('The officer chairing the hearing, not one of the case’s investigators (Art. 64)', {
    maxLength: 64,
    refusedWith: 'HEARING_CHAIR_REQUIRED',
  })
  chairOfficerId?: string;
}

export class LegalReviewFields {
  @Text('The violation as the agency’s discretion catalog names it', { maxLength: 200 })
  violationCode?: string;

  @Text('The discretion band the proposal falls in', { maxLength: 200 })
  discretionBand?: string;

  @Fen('Unlawful gains, in fen')
  illegalGainsFen?: number;

  @Text('Why the proposal lies outside the catalog’s band')
  outOfBandReason?: string;

  @Flag('Art. 58(1) item 1: a major public interest is involved')
  majorPublicInterest?: boolean;

  @Flag('Art. 58(1) item 3: a complex case')
  complex?: boolean;

  @Flag('Art. 58(1) item 3: several legal relationships are involved')
  severalLegalRelationships?: boolean;

  @TextList('Other conditions for review, as the agency’s catalog names them')
  conditions?: string[];
}

export class DecisionFields {
  @Penalties('The penalties decided, as notified or lighter (Art. 59)', 'PENALTY_REQUIRED, FINE_AMOUNT_REQUIRED')
  penalties?: PenaltyDto[];

  @Text('The decision’s number', { maxLength: 200 })
  decisionNumber?: string;

  @Text('The facts found; as notified (Art. 44, 45)', { maxLength: 20_000 })
  facts?: string;

  @Text('The legal basis; as notified', { maxLength: 20_000 })
  legalBasis?: string;

  @Flag('The party was present and received the decision on the spot; false starts the 7-working-day service period')
  partyPresent?: boolean;

  @Flag('Simplified procedure: the party was told of the facts, reasons, basis and its rights first (Art. 44, 52)')
  partyInformed?: boolean;

  @Text('Simplified procedure: the party signed the decision or refused to', {
    enum: ['signed', 'refused'],
    refusedWith: 'PARTY_SIGNATURE_REQUIRED',
  })
  partySignature?: string;

  @Text('After a hearing: the hearing record the decision rests on (Art. 65)', {
    maxLength: 64,
    refusedWith: 'HEARING_TRANSCRIPT_REQUIRED',
  })
  hearingRecordId?: string;

  @Flag('A serious violation: needs the leaders’ collective discussion (Art. 57)')
  seriousViolation?: boolean;

  @Flag('A complex case: needs the leaders’ collective discussion (Art. 57)')
  complex?: boolean;

  @Text('Why the decision is not published in full (publicity)', { maxLength: 200 })
  confidentiality?: string;

  @TextList('Other persons named in the decision (masked in publicity)')
  otherPersons?: string[];
}

export class ServiceFields {
  @Text('How the decision was served; without a method, officers served it in person (two needed)', {
    enum: SERVICE_METHODS,
    refusedWith: 'SERVICE_METHOD_INVALID',
  })
  method?: string;
}

export class ExecutionFields {
  @Flag('The fine was paid: meets the 15-day payment period (Art. 67)')
  paid?: boolean;
}

export class EvidenceHoldReleaseFields {
  @Text('The evidence-hold record released', { maxLength: 64 })
  holdRecordId?: string;
}

export class SealingSeizureFields {
  @ApiPropertyOptional({
    description: 'The property sealed or seized (查封扣押财物清单); only a sealing-seizure step may carry it',
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    maxItems: 500,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  propertyList?: Array<Record<string, unknown>>;
}

export class ClosingFields {
  @Text('Why the case is closed', { enum: Object.keys(CLOSING_REASONS), refusedWith: 'CLOSING_REASON_REQUIRED, CLOSING_REASON_UNKNOWN' })
  closingReason?: string;

  @Text('The statement of the closing', { refusedWith: 'CLOSING_STATEMENT_REQUIRED' })
  statement?: string;
}

export class CorrectionFields {
  @Instant('The corrected record’s true time, in the past; moves the deadlines it started or met', 'CORRECTED_TIME_INVALID')
  correctedOccurredAt?: string;
}

/**
 * The request only (Art. 60): the agency head approves it in a record of its own
 * (`POST /cases/:caseId/decision-period-extension/approval`); an `approvedBy` here is refused (EXTENSION_APPROVER_NOT_A_FIELD).
 */
export class DecisionPeriodExtensionFields {
  @Text('Why the period should be extended; it is extended once the agency head approves', { refusedWith: 'EXTENSION_REASON_REQUIRED' })
  reason?: string;
}

export class SuspensionFields {
  @Text('Why the case is suspended (Art. 60)', { refusedWith: 'SUSPENSION_REASON_REQUIRED' })
  reason?: string;
}

export class AssistingAgencyFields {
  @Text('The assisting agency’s id; its certified officers may then act in the case (Art. 42)', {
    maxLength: 36,
    refusedWith: 'ASSISTING_AGENCY_REQUIRED',
  })
  agencyId?: string;

  @Text('What the assistance rests on', { refusedWith: 'ASSISTING_AGENCY_REQUIRED' })
  basis?: string;
}

export class JudicialTransferFields {
  @ApiPropertyOptional({ type: 'boolean', description: refusal('Whether the case was transferred (Art. 27)', 'JUDICIAL_TRANSFER_INVALID') })
  @IsOptional()
  @IsBoolean()
  transferred?: boolean;

  @Text('Transferred: the receiving judicial organ', { maxLength: 200, refusedWith: 'JUDICIAL_TRANSFER_INVALID' })
  receivingAuthority?: string;

  @Text('Not transferred: why not', { refusedWith: 'JUDICIAL_TRANSFER_INVALID' })
  reason?: string;
}

/** The fields class of every step type an officer records through the steps API (the system records the others). */
export const STEP_FIELDS = {
  inspection: FreeStepFields,
  inquiry: FreeStepFields,
  'evidence-collection': FreeStepFields,
  'evidence-hold': FreeStepFields,
  'evidence-hold-release': EvidenceHoldReleaseFields,
  'sealing-seizure': SealingSeizureFields,
  'forced-execution': FreeStepFields,
  notice: NoticeFields,
  statement: FreeStepFields,
  'rights-waiver': RightsWaiverFields,
  'hearing-request': FreeStepFields,
  'hearing-notice': HearingNoticeFields,
  hearing: HearingFields,
  'legal-review': LegalReviewFields,
  'collective-decision': FreeStepFields,
  decision: DecisionFields,
  service: ServiceFields,
  execution: ExecutionFields,
  closing: ClosingFields,
  correction: CorrectionFields,
  'decision-period-extension': DecisionPeriodExtensionFields,
  suspension: SuspensionFields,
  resumption: FreeStepFields,
  'assisting-agency': AssistingAgencyFields,
  'judicial-transfer': JudicialTransferFields,
  other: FreeStepFields,
} satisfies Partial<Record<StepType, new () => object>>;

export type RequestableStepType = keyof typeof STEP_FIELDS;

function problemsIn(errors: ValidationError[], prefix: string): string[] {
  return errors.flatMap((error) => {
    const field = `${prefix}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((problem) => `${field}: ${problem}`);
    return [...own, ...problemsIn(error.children ?? [], field)];
  });
}

/** What is wrong with `fields` for a step of `stepType` (nothing for types the steps API does not take: the rules refuse those). */
export function stepFieldsProblems(stepType: unknown, fields: unknown): string[] {
  const fieldsClass = (STEP_FIELDS as Record<string, new () => object>)[String(stepType)];
  if (!fieldsClass || typeof fields !== 'object' || fields === null || Array.isArray(fields)) return [];
  return problemsIn(validateSync(plainToInstance(fieldsClass, fields), { forbidUnknownValues: false }), 'fields');
}

/** `fields` as its step type's class describes them (the object itself is recorded as given). */
export function IsStepFields(): PropertyDecorator {
  return ValidateBy({
    name: 'isStepFields',
    validator: {
      validate: (fields, args) => stepFieldsProblems((args?.object as { stepType?: unknown }).stepType, fields).length === 0,
      defaultMessage: (args) => stepFieldsProblems((args?.object as { stepType?: unknown }).stepType, args?.value).join('; '),
    },
  });
}
