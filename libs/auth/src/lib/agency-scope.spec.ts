import { ForbiddenException } from '@nestjs/common';
import { assertAgencyScope, isInAgencyScope } from './agency-scope';
import type { AuthenticatedUser } from './authenticated-user';

const agencyAdmin: AuthenticatedUser = { userId: 'admin-1', agencyId: '330100-amr', roles: ['agency-admin'] };

function thrownBy(action: () => void): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe(assertAgencyScope.name, () => {
  it('lets an agency-admin manage its own agency', () => {
    expect(() => assertAgencyScope(agencyAdmin, '330100-amr')).not.toThrow();
  });

  it('refuses another agency with 403 AGENCY_SCOPE', () => {
    const error = thrownBy(() => assertAgencyScope(agencyAdmin, '330200-amr'));

    expect(error).toBeInstanceOf(ForbiddenException);
    expect((error as ForbiddenException).getStatus()).toBe(403);
    expect((error as ForbiddenException).getResponse()).toEqual({ code: 'AGENCY_SCOPE', message: '只能管理本机关的数据' });
  });

  it('lets a system-admin manage any agency, with or without an agency of its own', () => {
    expect(() => assertAgencyScope({ userId: 'root', agencyId: '', roles: ['system-admin'] }, '330200-amr')).not.toThrow();
    expect(() => assertAgencyScope({ userId: 'root', agencyId: '330100-amr', roles: ['system-admin'] }, '330200-amr')).not.toThrow();
  });

  it('never matches on an empty agency id', () => {
    expect(isInAgencyScope({ userId: 'x', agencyId: '', roles: ['agency-admin'] }, '')).toBe(false);
  });

  it('does not widen the scope for supervisors', () => {
    const supervisor: AuthenticatedUser = {
      userId: 's',
      agencyId: '330000-justice',
      roles: ['supervisor'],
      supervisedRegionCode: '330000',
    };

    expect(thrownBy(() => assertAgencyScope(supervisor, '330100-amr'))).toBeInstanceOf(ForbiddenException);
  });
});
