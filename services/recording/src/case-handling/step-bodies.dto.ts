import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
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

/** The steps API's body: one of the step bodies, chosen by `stepType`. */
export function ApiRecordStepBody(): MethodDecorator {
  const bodies = Object.values(STEP_BODIES);
  return applyDecorators(
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
