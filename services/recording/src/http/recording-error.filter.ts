import { ArgumentsHost, Catch, HttpStatus, type ExceptionFilter } from '@nestjs/common';
import { ApiErrorFilter, DomainError } from '@enforcement/service-runtime';
import { RecordingError, type RecordingErrorKind } from '../case-core/recording.error';

/** The one place where a recording refusal becomes an HTTP status. */
export const HTTP_STATUS_OF: Record<RecordingErrorKind, HttpStatus> = {
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

/** A RecordingError as the platform's DomainError: `{ code, message, details? }` with the kind's status. */
export function toDomainError(error: RecordingError): DomainError {
  return new DomainError(error.code, error.message, HTTP_STATUS_OF[error.kind], error.problems ?? error.details);
}

/**
 * Put on every recording controller (`@UseFilters(RecordingErrorFilter)`): it also catches refusals thrown
 * by guards (the certificate check resolves the case's scope), and answers them exactly as the platform's
 * ApiErrorFilter answers a DomainError.
 */
@Catch(RecordingError)
export class RecordingErrorFilter implements ExceptionFilter {
  private readonly platform = new ApiErrorFilter();

  catch(exception: RecordingError, host: ArgumentsHost): void {
    this.platform.catch(toDomainError(exception), host);
  }
}
