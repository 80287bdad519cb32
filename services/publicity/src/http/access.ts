import type { AuthenticatedUser } from '@enforcement/auth';
import { coveragePrefix } from '@enforcement/certificates';
import { PublicityError } from '../disclosure-core/publicity.error';

/** An agency's disclosures before they go out: its own administrators (and system administrators). */
export function assertOwnAgency(user: AuthenticatedUser, agencyId: string): void {
  if (user.roles.includes('system-admin')) return;
  if (!user.agencyId || user.agencyId !== agencyId) {
    throw new PublicityError('AGENCY_SCOPE', '只能管理本机关的公示信息', 'forbidden');
  }
}

export type QueueScope = 'all' | { agencyIds: string[] } | { regionPrefix: string };

/**
 * Whose disclosure queue the user may list: system administrators all; an agency's administrators their agency's;
 * supervisors the agencies of their region and below (执法监督), without the original text.
 */
export function queueScopeOf(user: AuthenticatedUser): QueueScope {
  if (user.roles.includes('system-admin')) return 'all';
  if (user.roles.includes('agency-admin') && user.agencyId) return { agencyIds: [user.agencyId] };
  if (user.roles.includes('supervisor') && user.supervisedRegionCode) return { regionPrefix: coveragePrefix(user.supervisedRegionCode) };
  return { agencyIds: [] };
}
