import { Inject, Injectable, Logger, Optional, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { catchError, from, mergeMap, tap, throwError, type Observable } from 'rxjs';
import {
  CERTIFICATE_CHECK_OPTIONS,
  resolveCertificateCheckOptions,
  type CertificateCheckModuleOptions,
  type ResolvedCertificateCheckOptions,
} from '../certificate-check.options';
import { CoOfficerProofReusedError } from '../co-officers/co-officer-proofs.service';
import { CertificateRefusalLogService } from '../refusals/certificate-refusal-log.service';
import { certificateRefusalException, keepRefusal } from './certificate.guard';
import { unspentCoOfficerProofsOf, type CertifiedRequest } from './certified-request';

/**
 * Around a route whose handler spends the co-officers' proofs in its own transaction (spendProofs: 'with-action'):
 * a proof found spent there is refused like any refusal of the check (kept for supervisors once that transaction
 * has rolled back, then 403), and a handler that returns without spending them fails, since a proof it never
 * spent could confirm another action.
 */
@Injectable()
export class CoOfficerProofsInterceptor implements NestInterceptor {
  private readonly logger = new Logger(CoOfficerProofsInterceptor.name);
  private readonly options: ResolvedCertificateCheckOptions;

  constructor(
    private readonly refusals: CertificateRefusalLogService,
    @Optional() @Inject(CERTIFICATE_CHECK_OPTIONS) options?: CertificateCheckModuleOptions,
  ) {
    this.options = resolveCertificateCheckOptions(options);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<CertifiedRequest>();
    return next.handle().pipe(
      tap(() => {
        if (unspentCoOfficerProofsOf(request)?.spent === false) {
          throw new Error(
            `${request.method} ${request.path}: the handler did not spend the co-officers' proofs (CoOfficerProofsService.spendIn)`,
          );
        }
      }),
      catchError((error: unknown) => {
        const unspent = unspentCoOfficerProofsOf(request);
        if (!(error instanceof CoOfficerProofReusedError) || !unspent) return throwError(() => error);
        const { officerIds, domain, regionCode, onSite } = unspent.action;
        return from(
          keepRefusal(
            this.refusals,
            this.logger,
            request,
            error.refusal,
            { officerIds, scope: { domain, regionCode }, onSite },
            this.options.clock(),
          ),
        ).pipe(mergeMap(() => throwError(() => certificateRefusalException(error.refusal))));
      }),
    );
  }
}
