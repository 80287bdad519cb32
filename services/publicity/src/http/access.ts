import type { AuthenticatedUser } from '@enforcement/auth';
import { PublicityError } from '../disclosure-core/publicity.error';

/** An agency's disclosures before they go out: its own administrators (and system administrators). */
export function assertOwnAgency(user: AuthenticatedUser, agencyId: string): void {
  if (user.roles.includes('system-admin')) return;
  if (!user.agencyId || user.agencyId !== agencyId) {
    throw new PublicityError('AGENCY_SCOPE', '只能管理本机关的公示信息', 'forbidden');
  }
}

/** The agencies whose unpublished disclosures the user may see. */
export function agencyScopeOf(user: AuthenticatedUser): string[] | 'all' {
  if (user.roles.includes('system-admin')) return 'all';
  return user.agencyId ? [user.agencyId] : [];
}
