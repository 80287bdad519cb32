import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { CertificateGuard } from './certificate.guard';
import { REQUIRES_CERTIFICATE, type RequiresCertificateOptions } from './certified-request';

/**
 * Lets a route through only when every acting officer holds a certificate usable for the action's domain,
 * region and instant, and, on site, at least two act (Administrative Penalty Law Art. 42). The guard is attached
 * here, so it runs after the global authentication guard that sets `request.user`; on a class it covers every
 * route, and a method's own options win.
 *
 *   @Post(':caseId/inspections')
 *   @RequiresCertificate({
 *     scope: (request, moduleRef) => moduleRef.get(CaseScopes, { strict: false }).of(request.params.caseId),
 *     onSite: true,
 *     coOfficers: (request) => request.body?.coOfficerIds,
 *   })
 *   inspect(@PresentedCertificates() shown: PresentedCertificate[]) { ... }
 */
export function RequiresCertificate(options: RequiresCertificateOptions): ClassDecorator & MethodDecorator {
  return applyDecorators(SetMetadata(REQUIRES_CERTIFICATE, options), UseGuards(CertificateGuard));
}
