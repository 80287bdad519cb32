import type { AuthenticatedUser, Role } from '@enforcement/auth';

/** The demo agency `npm start` creates on first start, and the users `npm run token -- <alias>` signs for. */
export const DEMO_AGENCY = {
  id: 'a0000000-0000-4000-8000-000000000001',
  name: '上海市黄浦区市场监督管理局（演示）',
  creditCode: '11310101MB2F12345X',
  regionCode: '310101',
  domains: ['market-regulation', 'food-safety'],
  legalBasis: '《中华人民共和国行政处罚法》《中华人民共和国食品安全法》',
};

export interface DemoUser {
  alias: string;
  id: string;
  name: string;
  roles: Role[];
  /** 17 digits; the check character is computed. */
  idNumberBase?: string;
  certificateNumber?: string;
  qualificationNumber?: string;
  supervisedRegionCode?: string;
}

export const DEMO_USERS: readonly DemoUser[] = [
  {
    alias: 'officer1',
    id: 'd0000000-0000-4000-8000-000000000001',
    name: '王明',
    roles: ['officer'],
    idNumberBase: '31010119850101001',
    certificateNumber: 'SH-HP-0001',
  },
  {
    alias: 'officer2',
    id: 'd0000000-0000-4000-8000-000000000002',
    name: '李华',
    roles: ['officer'],
    idNumberBase: '31010119880202002',
    certificateNumber: 'SH-HP-0002',
  },
  {
    alias: 'reviewer',
    id: 'd0000000-0000-4000-8000-000000000003',
    name: '陈静',
    roles: ['officer', 'reviewer'],
    idNumberBase: '31010119900303003',
    certificateNumber: 'SH-HP-0003',
    qualificationNumber: 'A20153101000123',
  },
  { alias: 'admin', id: 'd0000000-0000-4000-8000-000000000004', name: '赵强', roles: ['agency-admin'], idNumberBase: '31010119750404004' },
  {
    alias: 'supervisor',
    id: 'd0000000-0000-4000-8000-000000000005',
    name: '孙丽',
    roles: ['supervisor'],
    idNumberBase: '31010119800505005',
    supervisedRegionCode: '310000',
  },
  { alias: 'sysadmin', id: 'd0000000-0000-4000-8000-000000000099', name: '系统管理员', roles: ['system-admin'] },
];

/** The token claims of a demo user. */
export function demoUserClaims(alias: string): AuthenticatedUser | undefined {
  const user = DEMO_USERS.find((candidate) => candidate.alias === alias);
  if (!user) return undefined;
  return {
    userId: user.id,
    agencyId: user.roles.includes('system-admin') ? '' : DEMO_AGENCY.id,
    roles: user.roles,
    supervisedRegionCode: user.supervisedRegionCode,
    name: user.name,
  };
}
