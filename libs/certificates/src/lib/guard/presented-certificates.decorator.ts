import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { PresentedCertificate } from '../check/certificate-checker';
import { presentedCertificatesOf, type CertifiedRequest } from './certified-request';

/**
 * The certificates the acting officers showed (亮证, Administrative Penalty Law Art. 55), for the record of the
 * step to keep. Only on routes behind @RequiresCertificate.
 */
export const PresentedCertificates = createParamDecorator((_data: unknown, context: ExecutionContext): PresentedCertificate[] => {
  const presented = presentedCertificatesOf(context.switchToHttp().getRequest<CertifiedRequest>());
  if (!presented) throw new Error('@PresentedCertificates() on a route without @RequiresCertificate');
  return presented;
});
