import { applyDecorators, RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath, type OpenAPIObject } from '@nestjs/swagger';
import { HTTP_ERRORS } from './api-error';

/** The body of every error response (ApiErrorBody), as the OpenAPI document shows it. */
export class ApiError {
  @ApiProperty({ description: 'Stable and machine-readable: clients branch on it', example: 'VALIDATION_FAILED' })
  code: string;

  @ApiProperty({ description: 'For people, in Chinese', example: '提交的数据不符合要求，请检查后重试' })
  message: string;

  @ApiPropertyOptional({
    description: 'What else the refusal says: the legal article, the fields at fault (`[{ field, problems }]`), limits…',
  })
  details?: unknown;
}

/** A status an operation may refuse with, and optionally the codes it answers (listed in the description). */
export type DocumentedRefusal = number | { status: number; codes?: readonly string[]; description?: string };

const MEANING: Record<number, string> = {
  400: 'The request is malformed or incomplete (VALIDATION_FAILED lists each field at fault)',
  401: 'No valid bearer token',
  403: 'Outside the caller’s role, agency or region, or a required certificate is missing',
  404: 'Not found (or not visible to the caller)',
  409: 'The current state of what it acts on forbids it',
  413: 'The body is larger than the limit',
  415: 'Unsupported content type',
  416: 'The range cannot be satisfied',
  422: 'Refused by a legal or business rule (details.article names the article where there is one)',
  429: 'Too many failed authentications from this address; retry later',
  503: 'A dependency is down; the request was not carried out and may be sent again',
};

function refusalResponse(refusal: DocumentedRefusal): { status: number; description: string } {
  const { status, codes, description } = typeof refusal === 'number' ? { status: refusal } : refusal;
  const meaning = description ?? MEANING[status] ?? HTTP_ERRORS[status]?.message ?? 'Refused';
  return { status, description: codes?.length ? `${meaning}: ${codes.join(', ')}` : meaning };
}

/**
 * The refusals an operation (or every operation of a controller) documents beyond the ones every operation has
 * (serveApiDocs adds 400 and 413 where there is input, 404 where the path names a resource, 401, 403 and 429 where a
 * token is needed), each with the
 * shared error schema: `@ApiErrors(404, { status: 422, codes: ['CASE_CLOSED'] })`.
 */
export function ApiErrors(...refusals: DocumentedRefusal[]): MethodDecorator & ClassDecorator {
  const documented = applyDecorators(
    ApiExtraModels(ApiError),
    ...refusals.map((refusal) => ApiResponse({ ...refusalResponse(refusal), schema: { $ref: getSchemaPath(ApiError) } })),
  );
  const decorator = (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    // A method's own responses replace the success response Nest documents by default: keep it.
    const success = descriptor && key !== undefined ? successStatusOf(descriptor.value) : undefined;
    if (success && descriptor && key !== undefined) ApiResponse({ status: success, description: 'Done' })(target, key, descriptor);
    if (descriptor && key !== undefined) documented(target, key, descriptor);
    else documented(target as () => void);
  };
  return decorator as MethodDecorator & ClassDecorator;
}

/**
 * The status a handler answers when it succeeds, as Nest does: its @HttpCode, or 201 for POST and 200 otherwise;
 * unknown while its route decorator is not applied yet (then completeOperations adds it).
 */
function successStatusOf(handler: object): number | undefined {
  const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
  if (method === undefined) return undefined;
  return (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ?? (method === RequestMethod.POST ? 201 : 200);
}

type Operation = {
  security?: Array<Record<string, string[]>>;
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, { description: string; content?: Record<string, { schema: object }> }>;
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/**
 * Completes every operation of `document` with what holds for all of them, so controllers state only their own
 * refusals: an operation without a security requirement is public (`security: []`, so a client sends no token);
 * one with input can be refused as malformed (400) or too large (413), one that names a resource in its path as
 * not found (404); one that needs a token as unauthenticated (401), forbidden (403) or throttled (429); any, with
 * its database down (503). Every error response carries the shared error schema.
 */
export function completeOperations(document: OpenAPIObject): OpenAPIObject {
  const schemas = ((document.components ??= {}).schemas ??= {});
  schemas['ApiError'] ??= {
    type: 'object',
    required: ['code', 'message'],
    properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
  };
  const errorContent = { 'application/json': { schema: { $ref: getSchemaPath(ApiError) } } };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as Operation | undefined;
      if (!operation) continue;
      // Every operation reads or writes the service's database, which may be down (DATABASE_UNAVAILABLE).
      const statuses: number[] = [503];
      if (operation.parameters?.length || operation.requestBody) statuses.push(400);
      if (operation.requestBody) statuses.push(413);
      if ((operation.parameters as Array<{ in?: string }> | undefined)?.some((parameter) => parameter.in === 'path')) statuses.push(404);
      if (operation.security?.length) statuses.push(401, 403, 429);
      else operation.security = [];
      for (const status of statuses) operation.responses[status] ??= { description: refusalResponse(status).description };
      if (!Object.keys(operation.responses).some((status) => Number(status) < 400)) {
        operation.responses[method === 'post' ? 201 : 200] = { description: 'Done' };
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        // Whatever else documents it (Terminus its own 503), every error leaves in the platform's format.
        if (Number(status) >= 400) response.content = errorContent;
      }
    }
  }
  return document;
}
