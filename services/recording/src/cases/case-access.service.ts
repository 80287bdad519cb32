import { HttpStatus, Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import { regionCovers } from '@enforcement/certificates';
import { DomainError } from '@enforcement/service-runtime';
import { DataSource, type EntityManager } from 'typeorm';
import { CaseEntity } from './case.entity';

/**
 * Who may see and act on a case: officers of the case's agency act and read; supervisors (执法监督)
 * read the cases of their region; system administrators read everything.
 */
@Injectable()
export class CaseAccess {
  constructor(private readonly dataSource: DataSource) {}

  /** For writes: the caller must belong to the case's agency. */
  async forAction(user: AuthenticatedUser, caseId: string, manager: EntityManager = this.dataSource.manager): Promise<CaseEntity> {
    const found = await this.load(caseId, manager);
    if (user.agencyId !== found.agencyId) throw caseScope();
    return found;
  }

  /** For reads: the case's agency, a supervisor of its region, or a system administrator. */
  async forReading(user: AuthenticatedUser, caseId: string): Promise<CaseEntity> {
    const found = await this.load(caseId, this.dataSource.manager);
    if (!CaseAccess.canRead(user, found)) throw caseScope();
    return found;
  }

  static canRead(user: AuthenticatedUser, found: Pick<CaseEntity, 'agencyId' | 'regionCode'>): boolean {
    if (user.agencyId && user.agencyId === found.agencyId) return true;
    if (user.roles.includes('system-admin')) return true;
    return (
      user.roles.includes('supervisor') &&
      !!user.supervisedRegionCode &&
      regionCovers(user.supervisedRegionCode, found.regionCode)
    );
  }

  private async load(caseId: string, manager: EntityManager): Promise<CaseEntity> {
    const found = await manager.findOneBy(CaseEntity, { id: caseId });
    if (!found) throw new DomainError('CASE_NOT_FOUND', '案件不存在', HttpStatus.NOT_FOUND);
    return found;
  }
}

function caseScope(): DomainError {
  return new DomainError('CASE_SCOPE', '只能查看或办理本机关（或监督辖区内）的案件', HttpStatus.FORBIDDEN);
}
