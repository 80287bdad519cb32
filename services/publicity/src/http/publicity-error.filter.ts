import { ArgumentsHost, Catch, HttpStatus, type ExceptionFilter } from '@nestjs/common';
import { ApiErrorFilter, DomainError } from '@enforcement/service-runtime';
import { PublicityError, type PublicityErrorKind } from '../disclosure-core/publicity.error';

/** The one place where a publicity refusal becomes an HTTP status. */
export const HTTP_STATUS_OF: Record<PublicityErrorKind, HttpStatus> = {
  invalid: HttpStatus.BAD_REQUEST,
  forbidden: HttpStatus.FORBIDDEN,
  'not-found': HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  refused: HttpStatus.UNPROCESSABLE_ENTITY,
};

export function toDomainError(error: PublicityError): DomainError {
  return new DomainError(error.code, error.message, HTTP_STATUS_OF[error.kind], error.details);
}

/** Put on every publicity controller: answers a PublicityError as the platform answers a DomainError. */
@Catch(PublicityError)
export class PublicityErrorFilter implements ExceptionFilter {
  private readonly platform = new ApiErrorFilter();

  catch(exception: PublicityError, host: ArgumentsHost): void {
    this.platform.catch(toDomainError(exception), host);
  }
}
