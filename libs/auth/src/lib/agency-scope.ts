import { agencyScopeViolation } from './auth-errors';
import type { AuthenticatedUser } from './authenticated-user';

/** Whether `user` may manage the data of agency `agencyId`: its own agency only, or any as system-admin. */
export function isInAgencyScope(user: AuthenticatedUser, agencyId: string): boolean {
  if (user.roles.includes('system-admin')) return true;
  // An empty agency id on either side must never count as a match.
  return user.agencyId.length > 0 && user.agencyId === agencyId;
}

/** Throws 403 AGENCY_SCOPE unless `user` may manage agency `agencyId` (an agency-admin only its own). */
export function assertAgencyScope(user: AuthenticatedUser, agencyId: string): void {
  if (!isInAgencyScope(user, agencyId)) throw agencyScopeViolation();
}
