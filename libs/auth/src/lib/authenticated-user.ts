/** Platform roles. An officer may hold several (an agency's legal reviewer is usually also an officer). */
export const ROLES = ['officer', 'reviewer', 'agency-admin', 'supervisor', 'system-admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, from a verified bearer token. */
export interface AuthenticatedUser {
  /** The `sub` claim: the officer id for agency staff. */
  userId: string;
  /** The agency the user belongs to (claim `agency_id`); empty for platform-wide system administrators. */
  agencyId: string;
  roles: Role[];
  /** Supervisors (执法监督) read across this division and those below it (claim `supervised_region`). */
  supervisedRegionCode?: string;
  name?: string;
}

/** How tokens are verified; exactly one source of keys. */
export type TokenVerification =
  | { kind: 'jwks'; url: string }
  | { kind: 'public-key'; pem: string }
  /** Embedded mode: a key pair generated on first start under `dir`; `npm run token` signs with it. */
  | { kind: 'local'; dir: string };

export interface AuthConfig {
  issuer: string;
  audience: string;
  verification: TokenVerification;
  /** The longest validity (exp − iat) accepted, whatever the token says; default 12 hours. */
  maxTokenLifetimeSeconds?: number;
}
