import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { UnspentCoOfficerProofs } from '../co-officers/co-officer-proofs.service';
import { unspentCoOfficerProofsOf, type CertifiedRequest } from './certified-request';

/**
 * The co-officers' proofs the guard verified, for the handler to spend in the transaction that records the action
 * (CoOfficerProofsService.spendIn). Only on routes behind @RequiresCertificate({ spendProofs: 'with-action' }).
 */
export const CoOfficerProofs = createParamDecorator((_data: unknown, context: ExecutionContext): UnspentCoOfficerProofs => {
  const unspent = unspentCoOfficerProofsOf(context.switchToHttp().getRequest<CertifiedRequest>());
  if (!unspent) throw new Error("@CoOfficerProofs() on a route without @RequiresCertificate({ spendProofs: 'with-action' })");
  return unspent;
});
