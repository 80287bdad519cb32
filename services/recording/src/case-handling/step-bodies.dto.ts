import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { ApiErrors } from '@enforcement/service-runtime';
import { RecordStepDto } from './case.dto';
import { STEP_FIELDS, type RequestableStepType } from './step-fields.dto';

const pascal = (stepType: string) => stepType.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());

/**
 * The body of POST /cases/{caseId}/steps as the OpenAPI document shows it: one schema per step type (`InspectionStep`,
 * `NoticeStep`…), each RecordStepDto with its `stepType` and the `fields` class that validates it, told apart by
 * `stepType`. Only documentation: the request is validated as RecordStepDto, whose `fields` check uses the same classes.
 */
function stepBody(stepType: RequestableStepType): new () => RecordStepDto {
  const name = `${pascal(stepType)}Step`;
  const body = { [name]: class extends RecordStepDto {} }[name];
  ApiProperty({ enum: [stepType], description: 'The step type' })(body.prototype, 'stepType');
  ApiPropertyOptional({ type: STEP_FIELDS[stepType], description: `The fields of a ${stepType} step` })(body.prototype, 'fields');
  return body;
}

const STEP_BODIES = Object.fromEntries(
  (Object.keys(STEP_FIELDS) as RequestableStepType[]).map((stepType) => [stepType, stepBody(stepType)]),
) as Record<RequestableStepType, new () => RecordStepDto>;

/**
 * The codes the procedure rules refuse a step with, by status, for clients to branch on (the rules in case-core are
 * the authority; this list only documents them).
 */
const STATUS_MEANING: Record<number, string> = {
  400: 'The step is malformed or incomplete (VALIDATION_FAILED lists each field at fault; the others name the rule)',
  409: 'The case’s current state forbids the step',
  422: 'The procedure rules refuse the step (details.article names the article)',
};

export const STEP_REFUSALS = {
  400: [
    'VALIDATION_FAILED',
    'LATE_ENTRY_REASON_REQUIRED',
    'STEP_NOT_ALLOWED',
    'PENALTY_REQUIRED',
    'FINE_AMOUNT_REQUIRED',
    'WAIVER_RIGHTS_REQUIRED',
    'WAIVER_SIGNATURE_REQUIRED',
    'HEARING_TIME_REQUIRED',
    'HEARING_PLACE_REQUIRED',
    'HEARING_CHAIR_REQUIRED',
    'HEARING_TRANSCRIPT_REQUIRED',
    'PARTY_SIGNATURE_REQUIRED',
    'SERVICE_METHOD_INVALID',
    'ASSISTING_AGENCY_REQUIRED',
    'CLOSING_REASON_REQUIRED',
    'CLOSING_REASON_UNKNOWN',
    'CLOSING_STATEMENT_REQUIRED',
    'CORRECTED_TIME_INVALID',
    'EXTENSION_REASON_REQUIRED',
    'EXTENSION_APPROVER_NOT_A_FIELD',
    'SUSPENSION_REASON_REQUIRED',
    'RESUMPTION_BEFORE_SUSPENSION',
    'JUDICIAL_TRANSFER_INVALID',
    'SEALING_STEP_REQUIRED',
    'AUDIO_VIDEO_WINDOW_REQUIRED',
    'STEP_IN_FUTURE',
  ],
  409: [
    'CASE_CLOSED',
    'DECISION_EXISTS',
    'LEGAL_REVIEW_PENDING',
    'CASE_SUSPENDED',
    'CASE_ALREADY_SUSPENDED',
    'CASE_NOT_SUSPENDED',
    'DECISION_PERIOD_ALREADY_EXTENDED',
    'EXTENSION_ALREADY_PENDING',
    'DECISION_REVOKED',
    // The case row no longer matches its state seal: changed behind the service's back (cases/case-state-seal.ts).
    'CASE_STATE_TAMPERED',
  ],
  422: [
    'STEP_BEFORE_OPENING',
    'STEP_BEFORE_PREREQUISITE',
    'TOO_FEW_OFFICERS',
    'SIMPLIFIED_PROCEDURE_NOT_ALLOWED',
    'NOTICE_REQUIRED',
    'DECISION_REQUIRED',
    'DECISION_EXCEEDS_NOTICE',
    'DECISION_RESTATEMENT_NOT_ALLOWED',
    'DECISION_ALTERATION_PATH',
    'DECISION_CORRECTION_NOT_ALLOWED',
    'HEAVIER_AFTER_DEFENCE',
    'STATEMENT_PERIOD_RUNNING',
    'HEARING_WINDOW_OPEN',
    'HEARING_PENDING',
    'HEARING_NOT_AVAILABLE',
    'HEARING_REQUEST_LATE',
    'HEARING_REQUEST_AFTER_DECISION',
    'HEARING_NOT_REQUESTED',
    'HEARING_NOT_NOTIFIED',
    'HEARING_NOTICE_TOO_LATE',
    'HEARING_NOT_AS_NOTIFIED',
    'HEARING_CHAIR_INVESTIGATED',
    'HEARING_RIGHT_NOT_NOTIFIED',
    'LEGAL_REVIEW_REQUIRED',
    'COLLECTIVE_DECISION_REQUIRED',
    'JUDICIAL_TRANSFER_REQUIRED',
    'SERVICE_REQUIRED',
    'CLOSING_PERIODS_UNSETTLED',
    'CLOSING_REASON_NOT_APPLICABLE',
    'AUDIO_VIDEO_REQUIRED',
    'AUDIO_VIDEO_GAP_UNAPPROVED',
  ],
} as const;

/** The steps API's body: one of the step bodies, chosen by `stepType`; and the codes it is refused with. */
export function ApiRecordStepBody(): MethodDecorator {
  const bodies = Object.values(STEP_BODIES);
  return applyDecorators(
    ApiErrors(
      ...Object.entries(STEP_REFUSALS).map(([status, codes]) => ({
        status: Number(status),
        codes,
        description: STATUS_MEANING[Number(status)],
      })),
    ),
    ApiExtraModels(...bodies),
    ApiBody({
      description: 'A step of one of the types officers record; each type has its own fields',
      schema: {
        oneOf: bodies.map((body) => ({ $ref: getSchemaPath(body) })),
        discriminator: {
          propertyName: 'stepType',
          mapping: Object.fromEntries(Object.entries(STEP_BODIES).map(([stepType, body]) => [stepType, getSchemaPath(body)])),
        },
      },
    }),
  );
}
