import { ArgumentsHost, Catch, HttpStatus, type ExceptionFilter } from '@nestjs/common';
import { ApiErrorFilter, DomainError } from '@enforcement/service-runtime';
import { LegalReviewError, type LegalReviewErrorKind } from '../review-core/legal-review.error';

/** The one place where a legal-review refusal becomes an HTTP status. */
export const HTTP_STATUS_OF: Record<LegalReviewErrorKind, HttpStatus> = {
  invalid: HttpStatus.BAD_REQUEST,
  forbidden: HttpStatus.FORBIDDEN,
  'not-found': HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  refused: HttpStatus.UNPROCESSABLE_ENTITY,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

export function toDomainError(error: LegalReviewError): DomainError {
  return new DomainError(error.code, error.message, HTTP_STATUS_OF[error.kind], error.details);
}

/** Put on every legal-review controller: answers a LegalReviewError as the platform answers a DomainError. */
@Catch(LegalReviewError)
export class LegalReviewErrorFilter implements ExceptionFilter {
  private readonly platform = new ApiErrorFilter();

  catch(exception: LegalReviewError, host: ArgumentsHost): void {
    this.platform.catch(toDomainError(exception), host);
  }
}
