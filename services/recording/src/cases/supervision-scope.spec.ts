import type { AuthenticatedUser } from '@enforcement/auth';
import { supervisionListScope, supervisionScopeOf } from './supervision-scope';

const AGENCY = '3f1e0c1a-0000-4000-8000-0000000000a1';
const user = (roles: AuthenticatedUser['roles'], extra: Partial<AuthenticatedUser> = {}): AuthenticatedUser => ({
  userId: 'u1',
  agencyId: AGENCY,
  roles,
  ...extra,
});

describe(supervisionListScope.name, () => {
  it('gives each role the reach its token names', () => {
    expect(supervisionListScope(user(['system-admin'], { agencyId: '' }), { agencyAdmins: false })).toEqual({ kind: 'all' });
    expect(supervisionListScope(user(['supervisor'], { supervisedRegionCode: '310100' }), { agencyAdmins: false })).toEqual({
      kind: 'limited',
      regionCode: '310100',
      agencyId: undefined,
    });
    expect(supervisionListScope(user(['agency-admin']), { agencyAdmins: true })).toEqual({
      kind: 'limited',
      regionCode: undefined,
      agencyId: AGENCY,
    });
  });

  it('shows nothing, rather than everything, to a caller without a reach (an agency admin where the list admits none)', () => {
    const admin = user(['agency-admin']);
    expect(supervisionScopeOf(admin, { agencyAdmins: false })).toBeUndefined();
    expect(supervisionListScope(admin, { agencyAdmins: false })).toEqual({ kind: 'limited' });
    // A supervisor without a division cannot come with a token (libs/auth refuses it); were one built, it still sees nothing.
    expect(supervisionListScope(user(['supervisor']), { agencyAdmins: true })).toEqual({ kind: 'limited' });
  });
});
