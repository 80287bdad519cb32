import { Injectable, UnauthorizedException } from '@nestjs/common';
import type { ActionScope, CertificateScopeResolver, CertifiedRequest } from '@enforcement/certificates';
import { CaseAccessService } from './case-access.service';
import type { CaseEntity } from './case.entity';

const SCOPED_CASE = Symbol('recording.scopedCase');

/**
 * The case CaseScopeResolver loaded for this request (the caller was allowed to act on it), so the handler need not read
 * it again; undefined when the route has no CaseScopeResolver. A read outside the handler's transaction: whoever uses it
 * relies on the chain head's conditional update to notice a change in between.
 */
export function scopedCaseOf(request: object, caseId: string): CaseEntity | undefined {
  const found = (request as { [SCOPED_CASE]?: CaseEntity })[SCOPED_CASE];
  return found?.id === caseId ? found : undefined;
}

/**
 * When the action in the request body took place (`occurredAt`), if it says so: the certificates are checked at that
 * moment as well as now (Art. 42: qualified when acting). Undefined when absent or not a time.
 */
export function actionInstantOf(request: { body?: unknown }): Date | undefined {
  const value =
    typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>)['occurredAt'] : undefined;
  if (typeof value !== 'string') return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/**
 * The certificate check's scope for an action on the case in the path (`:caseId`): its domain and
 * division. The case is loaded through CaseAccessService, so an officer of another agency is refused
 * (CASE_SCOPE) before their certificate is even looked at.
 */
@Injectable()
export class CaseScopeResolver implements CertificateScopeResolver {
  constructor(private readonly cases: CaseAccessService) {}

  async resolve(request: CertifiedRequest): Promise<ActionScope> {
    const user = request.user;
    if (!user) throw new UnauthorizedException({ code: 'UNAUTHENTICATED', message: '未登录或登录已失效' });
    const found = await this.cases.forAction(user, String(request.params['caseId']));
    (request as { [SCOPED_CASE]?: CaseEntity })[SCOPED_CASE] = found;
    // Art. 42: certificates of the case's agency count, and of an agency recorded as assisting in the case.
    const agencyIds = [found.agencyId, ...(found.procedureState?.assistingAgencyIds ?? [])];
    return { domain: found.domain, regionCode: found.regionCode, at: actionInstantOf(request), agencyIds };
  }
}
