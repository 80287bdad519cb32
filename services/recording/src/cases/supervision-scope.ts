import type { AuthenticatedUser } from '@enforcement/auth';
import { coveragePrefix, isDivisionCode } from '@enforcement/certificates';
import { Brackets, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';

/** Whose rows a supervision list shows: every case's, or those of cases in a division and/or of one agency. */
export type SupervisionScope = { kind: 'all' } | { kind: 'limited'; regionCode?: string; agencyId?: string };

/**
 * Supervision (执法监督): a system administrator sees every case; a supervisor the cases in the division they
 * supervise and below; an agency administrator, where the list admits them, their agency's cases. Undefined when
 * the user is none of these (or a supervisor without a valid division).
 */
export function supervisionScopeOf(user: AuthenticatedUser, options: { agencyAdmins: boolean }): SupervisionScope | undefined {
  if (user.roles.includes('system-admin')) return { kind: 'all' };
  const regionCode =
    user.roles.includes('supervisor') && user.supervisedRegionCode && isDivisionCode(user.supervisedRegionCode)
      ? user.supervisedRegionCode
      : undefined;
  const agencyId = options.agencyAdmins && user.roles.includes('agency-admin') && user.agencyId ? user.agencyId : undefined;
  return regionCode || agencyId ? { kind: 'limited', regionCode, agencyId } : undefined;
}

/**
 * The scope of a caller the roles guard let into a supervision list. A token carries no supervisor without a division
 * and no agency administrator without an agency (libs/auth), so every such caller has a scope; should one ever arrive
 * without, it sees nothing rather than everything.
 */
export function supervisionListScope(user: AuthenticatedUser, options: { agencyAdmins: boolean }): SupervisionScope {
  return supervisionScopeOf(user, options) ?? { kind: 'limited' };
}

/** Limits a list query to the scope: rows whose region lies in the division, or whose agency is the agency. */
export function withinScope<T extends ObjectLiteral>(
  builder: SelectQueryBuilder<T>,
  scope: SupervisionScope,
  columns: { region: string; agency: string },
): SelectQueryBuilder<T> {
  if (scope.kind === 'all') return builder;
  return builder.andWhere(
    new Brackets((where) => {
      where.where('1 = 0');
      // Division codes are digits only, so the prefix needs no LIKE escaping.
      // eslint-disable-next-line no-restricted-syntax -- the caller's own column names; the scope is bound
      if (scope.regionCode) where.orWhere(`${columns.region} LIKE :scopeRegion`, { scopeRegion: `${coveragePrefix(scope.regionCode)}%` });
      // eslint-disable-next-line no-restricted-syntax -- the caller's own column names; the scope is bound
      if (scope.agencyId) where.orWhere(`${columns.agency} = :scopeAgency`, { scopeAgency: scope.agencyId });
    }),
  );
}
