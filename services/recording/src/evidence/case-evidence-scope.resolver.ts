import { Injectable, UnauthorizedException } from '@nestjs/common';
import type { ActionScope, CertificateScopeResolver, CertifiedRequest } from '@enforcement/certificates';
import { CaseAccess } from '../cases/case-access.service';

/**
 * The certificate check's scope for evidence uploads: the domain and division of the case in the path. The
 * case is loaded through CaseAccess, so an officer of another agency is refused (CASE_SCOPE) before their
 * certificate is even looked at.
 */
@Injectable()
export class CaseEvidenceScope implements CertificateScopeResolver {
  constructor(private readonly cases: CaseAccess) {}

  async resolve(request: CertifiedRequest): Promise<ActionScope> {
    const user = request.user;
    if (!user) throw new UnauthorizedException({ code: 'UNAUTHENTICATED', message: '未登录或登录已失效' });
    const found = await this.cases.forAction(user, String(request.params['caseId']));
    return { domain: found.domain, regionCode: found.regionCode };
  }
}
