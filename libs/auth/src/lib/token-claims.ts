import type { JWTPayload } from 'jose';
import { ROLES, type AuthenticatedUser, type Role } from './authenticated-user';

/** Claim names the platform reads beyond the registered ones (`sub`, `iss`, `aud`, `exp`). */
export const CLAIMS = {
  agencyId: 'agency_id',
  roles: 'roles',
  supervisedRegion: 'supervised_region',
  name: 'name',
} as const;

/** Administrative division codes (GB/T 2260) have six digits. */
const REGION_CODE = /^\d{6}$/;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Why `user` cannot be a platform user, or undefined when it can. One rule set for what the verifier accepts
 * and what the local issuer signs, so a demo token can never be one the services then refuse.
 */
export function userProblem(user: AuthenticatedUser): string | undefined {
  if (typeof user.userId !== 'string' || user.userId.length === 0) return 'the subject (user id) is missing';
  if (!Array.isArray(user.roles) || user.roles.length === 0) return 'at least one role is required';
  const unknown = user.roles.filter((role) => !isRole(role));
  if (unknown.length > 0) return `unknown roles: ${unknown.map(String).join(', ')}`;
  if (typeof user.agencyId !== 'string') return 'the agency id must be a string';
  // Only platform-wide administrators stand outside every agency; anyone else without one would slip
  // through agency scoping.
  if (user.agencyId.length === 0 && !user.roles.includes('system-admin')) {
    return 'an agency id is required unless the user is a system-admin';
  }
  if (user.supervisedRegionCode !== undefined && !REGION_CODE.test(user.supervisedRegionCode)) {
    return 'the supervised region must be a 6-digit division code';
  }
  // A supervisor's reach is defined by the region; without one, callers could not tell what to show.
  if (user.roles.includes('supervisor') && user.supervisedRegionCode === undefined) {
    return 'a supervisor needs a supervised region';
  }
  if (user.name !== undefined && typeof user.name !== 'string') return 'the name must be a string';
  return undefined;
}

export type ClaimsResult = { ok: true; user: AuthenticatedUser } | { ok: false; problem: string };

/** Maps a verified payload to the user; refuses anything that does not have exactly the expected shape. */
export function userFromClaims(payload: JWTPayload): ClaimsResult {
  const agencyId = payload[CLAIMS.agencyId];
  const roles = payload[CLAIMS.roles];
  const region = payload[CLAIMS.supervisedRegion];
  const name = payload[CLAIMS.name];
  if (typeof payload.sub !== 'string') return { ok: false, problem: 'the "sub" claim is missing' };
  if (!Array.isArray(roles)) return { ok: false, problem: 'the "roles" claim must be an array' };
  if (agencyId !== undefined && typeof agencyId !== 'string') {
    return { ok: false, problem: 'the "agency_id" claim must be a string' };
  }
  if (region !== undefined && typeof region !== 'string') {
    return { ok: false, problem: 'the "supervised_region" claim must be a string' };
  }
  if (name !== undefined && typeof name !== 'string') return { ok: false, problem: 'the "name" claim must be a string' };
  const unknown = roles.filter((role) => !isRole(role));
  if (unknown.length > 0) return { ok: false, problem: `unknown roles: ${unknown.map(String).join(', ')}` };

  const user: AuthenticatedUser = {
    userId: payload.sub,
    agencyId: agencyId ?? '',
    roles: [...new Set(roles.filter(isRole))],
    ...(region === undefined ? {} : { supervisedRegionCode: region }),
    ...(name === undefined ? {} : { name }),
  };
  const problem = userProblem(user);
  return problem === undefined ? { ok: true, user } : { ok: false, problem };
}

/** The private claims that carry `user` (the subject goes into `sub`). */
export function claimsFromUser(user: AuthenticatedUser): JWTPayload {
  return {
    [CLAIMS.agencyId]: user.agencyId,
    [CLAIMS.roles]: [...user.roles],
    ...(user.supervisedRegionCode === undefined ? {} : { [CLAIMS.supervisedRegion]: user.supervisedRegionCode }),
    ...(user.name === undefined ? {} : { [CLAIMS.name]: user.name }),
  };
}
