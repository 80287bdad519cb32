import type { HandlerWrapper } from '@enforcement/service-runtime';
import { CoOfficerProofReusedError } from '../co-officers/co-officer-proofs.service';
import { REFUSE_PROOF_REPLAY, unspentCoOfficerProofsOf, type CertifiedRequest } from './certified-request';

/**
 * Around a route whose handler spends the co-officers' proofs in its own transaction (spendProofs: 'with-action'):
 * a proof found spent there is refused like any refusal of the check (kept for supervisors once that transaction
 * has rolled back, then 403), and a handler that returns without spending them fails, since a proof it never
 * spent could confirm another action, unless it set them aside (CoOfficerProofsService.setAside: it acted on
 * nothing). The guard leaves the proofs and its way of refusing on the request.
 */
export const spendsCoOfficerProofs: HandlerWrapper = async (request, run) => {
  const certified = request as CertifiedRequest | undefined;
  let answer: unknown;
  try {
    answer = await run();
  } catch (error) {
    const refuse = certified?.[REFUSE_PROOF_REPLAY];
    if (!(error instanceof CoOfficerProofReusedError) || !refuse) throw error;
    return refuse(error.refusal);
  }
  const proofs = certified && unspentCoOfficerProofsOf(certified);
  if (proofs && !proofs.spent && !proofs.setAside) {
    throw new Error(
      `${certified.method} ${certified.url.split('?', 1)[0]}: the handler did not spend the co-officers' proofs (CoOfficerProofsService.spendIn)`,
    );
  }
  return answer;
};
