import { Injectable } from '@nestjs/common';
import { assertAgencyScope, type AuthenticatedUser, type Role } from '@enforcement/auth';
import { Events, timestampFromDate } from '@enforcement/contracts';
import { TransactionalOutbox, type Transaction } from '@enforcement/events';
import { FieldCipher } from '@enforcement/field-cipher';
import { isValidResidentId } from '@enforcement/identifiers';
import { randomUUID } from 'node:crypto';
import { AgencyRepository } from '../agencies/agency.repository';
import { CertificatesError } from '../errors/certificates.error';
import { idNumberIndexes, normalizeIdNumber, sealIdNumber } from './officer-id-number';
import type { OfficerEntity } from './officer.entity';
import { OfficerRepository } from './officer.repository';
import type { ReviewQualificationEntity } from './review-qualification.entity';

export interface RegisterOfficer {
  name: string;
  idNumber: string;
  roles: Role[];
  supervisedRegionCode?: string;
}

/** Roles only a system administrator may hand out: they reach beyond one agency. */
const PLATFORM_ROLES: readonly Role[] = ['supervisor', 'system-admin'];

@Injectable()
export class OfficersService {
  constructor(
    private readonly outbox: TransactionalOutbox,
    private readonly officers: OfficerRepository,
    private readonly agencies: AgencyRepository,
    private readonly cipher: FieldCipher,
  ) {}

  register(agencyId: string, input: RegisterOfficer, actor: AuthenticatedUser): Promise<OfficerEntity> {
    return this.outbox.run((tx) => this.registerIn(tx, agencyId, input, actor));
  }

  /** `id` is for demo data with well-known ids; otherwise a new one is made. */
  async registerIn(
    tx: Transaction,
    agencyId: string,
    input: RegisterOfficer,
    actor: AuthenticatedUser,
    id: string = randomUUID(),
  ): Promise<OfficerEntity> {
    assertAgencyScope(actor, agencyId);
    if (!(await this.agencies.exists(agencyId, tx.manager))) {
      throw new CertificatesError('AGENCY_NOT_FOUND', '执法主体不存在', 'not-found');
    }
    if (!isValidResidentId(input.idNumber)) {
      throw new CertificatesError('INVALID_ID_NUMBER', '身份证号码格式或校验位不正确', 'invalid');
    }
    // Found by its blind index under every configured key: during a key rotation an officer not yet rotated
    // carries the previous key's index. The number itself is never echoed back.
    if (await this.officers.existsWithIdNumberIndex(tx.manager, idNumberIndexes(this.cipher, input.idNumber))) {
      throw officerExists();
    }
    const officerId = id;
    this.assertRolesGrantable(input.roles, input.supervisedRegionCode, actor, false);
    const officer: OfficerEntity = {
      id: officerId,
      agencyId,
      name: input.name,
      roles: [...new Set(input.roles)],
      supervisedRegionCode: input.supervisedRegionCode ?? null,
      createdAt: new Date(),
    };
    // Two registrations of one person at once: the unique blind index lets one in.
    if (!(await this.officers.insertUnlessTaken(tx.manager, { ...officer, ...sealIdNumber(this.cipher, officerId, input.idNumber) }))) {
      throw officerExists();
    }
    await tx.emit(
      Events.OfficerRegistered,
      {
        officerId,
        agencyId,
        name: officer.name,
        roles: officer.roles,
        supervisedRegionCode: officer.supervisedRegionCode ?? '',
      },
      { partitionKey: officerId, agencyId, actingUserId: actor.userId },
    );
    return officer;
  }

  /**
   * Which of these ID numbers belong to officers already registered (for the roster import), found by their
   * blind indexes under every configured key. The numbers are compared, never read back from the table.
   */
  async registeredIdNumbers(idNumbers: readonly string[]): Promise<Set<string>> {
    const byIndex = new Map<string, string>();
    for (const idNumber of idNumbers) {
      for (const index of idNumberIndexes(this.cipher, idNumber)) byIndex.set(index, normalizeIdNumber(idNumber));
    }
    if (byIndex.size === 0) return new Set();
    const found = await this.officers.storedIdNumberIndexes([...byIndex.keys()]);
    return new Set(found.map((index) => byIndex.get(index) ?? ''));
  }

  async setRoles(officerId: string, roles: Role[], supervisedRegionCode: string | undefined, actor: AuthenticatedUser) {
    return this.outbox.run(async (tx) => {
      const officer = await this.load(tx, officerId, actor);
      const qualified = await this.hasQualification(tx, officerId);
      this.assertRolesGrantable(roles, supervisedRegionCode, actor, qualified);
      officer.roles = [...new Set(roles)];
      officer.supervisedRegionCode = supervisedRegionCode ?? null;
      await this.officers.updateRoles(tx.manager, officerId, { roles: officer.roles, supervisedRegionCode: officer.supervisedRegionCode });
      await this.emitRoles(tx, officer, actor.userId);
      return officer;
    });
  }

  async grantQualification(
    officerId: string,
    input: { qualificationNumber: string; qualifiedOn: string },
    actor: AuthenticatedUser,
  ): Promise<ReviewQualificationEntity> {
    return this.outbox.run(async (tx) => {
      const officer = await this.load(tx, officerId, actor);
      const qualification: ReviewQualificationEntity = {
        officerId,
        qualificationNumber: input.qualificationNumber,
        qualifiedOn: input.qualifiedOn,
        grantedAt: new Date(),
        withdrawnAt: null,
        withdrawalReason: null,
      };
      await this.officers.saveQualification(tx.manager, qualification);
      await tx.emit(
        Events.ReviewQualificationGranted,
        {
          officerId,
          agencyId: officer.agencyId,
          qualificationNumber: input.qualificationNumber,
          qualifiedOn: timestampFromDate(new Date(`${input.qualifiedOn}T00:00:00+08:00`)),
        },
        { partitionKey: officerId, agencyId: officer.agencyId, actingUserId: actor.userId },
      );
      return qualification;
    });
  }

  /** Withdrawing the qualification also takes the reviewer role away (Art. 58). */
  async withdrawQualification(officerId: string, reason: string, actor: AuthenticatedUser): Promise<void> {
    await this.outbox.run(async (tx) => {
      const officer = await this.load(tx, officerId, actor);
      if (!(await this.officers.withdrawQualification(tx.manager, officerId, new Date(), reason))) {
        throw new CertificatesError('QUALIFICATION_NOT_FOUND', '该人员没有有效的法制审核资格记录', 'not-found');
      }
      await tx.emit(
        Events.ReviewQualificationWithdrawn,
        { officerId, reason },
        { partitionKey: officerId, agencyId: officer.agencyId, actingUserId: actor.userId },
      );
      if (officer.roles.includes('reviewer')) {
        officer.roles = officer.roles.filter((role) => role !== 'reviewer');
        await this.officers.updateRoles(tx.manager, officerId, { roles: officer.roles });
        await this.emitRoles(tx, officer, actor.userId);
      }
    });
  }

  async list(agencyId: string, actor: AuthenticatedUser): Promise<OfficerEntity[]> {
    assertAgencyScope(actor, agencyId);
    return this.officers.listOfAgency(agencyId);
  }

  private assertRolesGrantable(roles: Role[], region: string | undefined, actor: AuthenticatedUser, qualified: boolean) {
    if (!actor.roles.includes('system-admin')) {
      const platformRoles = roles.filter((role) => PLATFORM_ROLES.includes(role));
      if (platformRoles.length > 0) {
        throw new CertificatesError('ROLE_NOT_GRANTABLE', '只有系统管理员可以授予监督或系统管理角色', 'forbidden', {
          details: { roles: platformRoles },
        });
      }
    }
    // Art. 58: staff doing legal review for the first time hold the national legal professional qualification.
    if (roles.includes('reviewer') && !qualified) {
      throw new CertificatesError(
        'REVIEW_QUALIFICATION_REQUIRED',
        '授予法制审核人员角色前，须先登记其法律职业资格（《行政处罚法》第五十八条）',
        'refused',
        { article: '《行政处罚法》第五十八条' },
      );
    }
    if (roles.includes('supervisor') && !region) {
      throw new CertificatesError('SUPERVISED_REGION_REQUIRED', '监督人员须指定监督的行政区划', 'invalid');
    }
  }

  private async hasQualification(tx: Transaction, officerId: string): Promise<boolean> {
    return this.officers.hasQualification(tx.manager, officerId);
  }

  private async load(tx: Transaction, officerId: string, actor: AuthenticatedUser): Promise<OfficerEntity> {
    const officer = await this.officers.findById(officerId, tx.manager);
    if (!officer) throw new CertificatesError('OFFICER_NOT_FOUND', '执法人员不存在', 'not-found');
    assertAgencyScope(actor, officer.agencyId);
    return officer;
  }

  private async emitRoles(tx: Transaction, officer: OfficerEntity, actingUserId: string): Promise<void> {
    await tx.emit(
      Events.OfficerRolesChanged,
      { officerId: officer.id, agencyId: officer.agencyId, roles: officer.roles, supervisedRegionCode: officer.supervisedRegionCode ?? '' },
      { partitionKey: officer.id, agencyId: officer.agencyId, actingUserId },
    );
  }
}

function officerExists(): CertificatesError {
  return new CertificatesError('OFFICER_EXISTS', '该身份证号码的执法人员已登记', 'conflict');
}
