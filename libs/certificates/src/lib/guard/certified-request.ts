import type { ModuleRef } from '@nestjs/core';
import type { AuthenticatedUser, HttpRequest } from '@enforcement/auth';
import type { CertificateRefusal, PresentedCertificate } from '../check/certificate-checker';
import type { UnspentCoOfficerProofs } from '../co-officers/co-officer-proofs.service';

export const PRESENTED_CERTIFICATES = Symbol('PRESENTED_CERTIFICATES');
export const UNSPENT_CO_OFFICER_PROOFS = Symbol('UNSPENT_CO_OFFICER_PROOFS');
/** On a 'with-action' route: refuses a proof found spent by the action's transaction as the check refuses (kept, then 403). */
export const REFUSE_PROOF_REPLAY = Symbol('REFUSE_PROOF_REPLAY');

/** A request as the certificate guard sees it: `user` is set by the authentication guard, which runs first. */
export type CertifiedRequest = HttpRequest & {
  user?: AuthenticatedUser;
  [PRESENTED_CERTIFICATES]?: PresentedCertificate[];
  [UNSPENT_CO_OFFICER_PROOFS]?: UnspentCoOfficerProofs;
  [REFUSE_PROOF_REPLAY]?: (refusal: CertificateRefusal) => Promise<never>;
};

/** Where and when the action takes place: the case's enforcement domain and division. */
export interface ActionScope {
  domain: string;
  /** GB/T 2260 six-digit division code. */
  regionCode: string;
  /** The action's instant when it is not now (e.g. a step recorded after the fact). */
  at?: Date;
  /**
   * The agencies whose certificates count for the action: the case's agency and any assisting agency recorded
   * on it. Default: the acting user's own agency.
   */
  agencyIds?: readonly string[];
}

/** Finds an action's scope from the request, with the application's providers at hand (e.g. a case lookup). */
export type ScopeFunction = (request: CertifiedRequest, moduleRef: ModuleRef) => ActionScope | Promise<ActionScope>;

/**
 * The injectable alternative to a ScopeFunction: a provider of the application, resolved by its class wherever
 * it is registered.
 */
export interface CertificateScopeResolver {
  resolve(request: CertifiedRequest): ActionScope | Promise<ActionScope>;
}

export type ScopeResolverClass = abstract new (...args: never[]) => CertificateScopeResolver;

export interface RequiresCertificateOptions {
  scope: ScopeFunction | ScopeResolverClass;
  /** On-site steps need two certified officers (Administrative Penalty Law Art. 42). Default false. */
  onSite?: boolean | ((request: CertifiedRequest) => boolean);
  /** The officers acting with the caller, as named in the request. */
  coOfficers?: (request: CertifiedRequest) => unknown;
  /**
   * Each named co-officer proves presence with their own token (X-Co-Officer-Tokens; Art. 42). Default true; off
   * only where nothing is recorded in their name (a pre-flight question).
   */
  coOfficerProofs?: boolean;
  /**
   * When the co-officers' proofs are spent. 'at-check' (default): by the guard once they verify, in a write of their
   * own. 'with-action': the guard only verifies them; the handler spends them in the transaction that records the
   * action (`@CoOfficerProofs()`, CoOfficerProofsService.spendIn), so an action its own rules refuse spends nothing
   * and a step costs no commit of its own for its proofs. A handler that returns without spending them fails.
   */
  spendProofs?: 'at-check' | 'with-action';
}

export const REQUIRES_CERTIFICATE = 'enforcement:requires-certificate';

/** The certificates the acting officers showed, once the guard let the request through. */
export function presentedCertificatesOf(request: CertifiedRequest): PresentedCertificate[] | undefined {
  return request[PRESENTED_CERTIFICATES];
}

/** On a 'with-action' route, the co-officers' proofs the guard verified, for the handler to spend. */
export function unspentCoOfficerProofsOf(request: CertifiedRequest): UnspentCoOfficerProofs | undefined {
  return request[UNSPENT_CO_OFFICER_PROOFS];
}
