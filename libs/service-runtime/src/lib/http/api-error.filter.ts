import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import { isDatabaseUnavailableError } from '@enforcement/persistence';
import { Refusal, type RefusalKind } from '@enforcement/refusals';
import type { FastifyReply } from 'fastify';
import { DATABASE_UNAVAILABLE, DomainError, HTTP_ERRORS, INTERNAL_ERROR, type ApiErrorBody } from './api-error';

/** The one place where a domain's refusal becomes an HTTP status. */
export const HTTP_STATUS_OF: Record<RefusalKind, HttpStatus> = {
  invalid: HttpStatus.BAD_REQUEST,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  'not-found': HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  refused: HttpStatus.UNPROCESSABLE_ENTITY,
  'unsupported-media-type': HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  'range-not-satisfiable': HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
  'not-implemented': HttpStatus.NOT_IMPLEMENTED,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  fault: HttpStatus.INTERNAL_SERVER_ERROR,
};

/** A domain's refusal as the platform's DomainError: `{ code, message, details? }` with its kind's status. */
export function toDomainError(error: Refusal): DomainError {
  return new DomainError(error.code, error.message, HTTP_STATUS_OF[error.kind], error.problems ?? error.details);
}

/** Every error leaves as `{ code, message, details? }`; unexpected ones are logged and never leak internals. */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(ApiErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<FastifyReply>();
    const [status, body] = this.toResponse(exception);
    // A dependency that is down (503) is one line per request, not a stack trace: /health reports the cause.
    if (status === 503) this.logger.warn(`${body.code}: ${exception instanceof Error ? exception.message : String(exception)}`);
    else if (status >= 500) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    void response.status(status).type('application/json; charset=utf-8').send(body);
  }

  private toResponse(exception: unknown): [number, ApiErrorBody] {
    if (exception instanceof Refusal) return this.toResponse(toDomainError(exception));
    if (exception instanceof DomainError) return [exception.status, exception.toBody()];
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (typeof response === 'object' && response !== null && 'code' in response && 'message' in response) {
        return [status, response as ApiErrorBody];
      }
      return [status, HTTP_ERRORS[status] ?? (status >= 500 ? INTERNAL_ERROR : { code: `HTTP_${status}`, message: exception.message })];
    }
    if (isDatabaseUnavailableError(exception)) return [503, DATABASE_UNAVAILABLE];
    return [500, INTERNAL_ERROR];
  }
}
