import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { AroundHandler } from '@enforcement/service-runtime';
import { CertificateGuard } from './certificate.guard';
import { REQUIRES_CERTIFICATE, type RequiresCertificateOptions } from './certified-request';
import { spendsCoOfficerProofs } from './co-officer-proofs.wrapper';

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
  const decorators = [SetMetadata(REQUIRES_CERTIFICATE, options), UseGuards(CertificateGuard)];
  if (options.spendProofs === 'with-action') decorators.push(AroundHandler(spendsCoOfficerProofs));
  // A client learns from the OpenAPI document how co-officers confirm (Art. 42).
  if (options.coOfficers && options.coOfficerProofs !== false) {
    decorators.push(
      ApiHeader({
        name: 'X-Co-Officer-Tokens',
        required: false,
        description:
          "Each named co-officer's own bearer token (comma-separated), issued within 10 minutes and usable once; " +
          'required for every co-officer named (403 CO_OFFICER_UNCONFIRMED, CO_OFFICER_PROOF_INVALID, CO_OFFICER_PROOF_REUSED)',
      }),
    );
  }
  return applyDecorators(...decorators);
}
