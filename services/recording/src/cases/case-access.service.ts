import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import { regionCovers } from '@enforcement/certificates';
import type { TransactionScope } from '../case-core/ports';
import { RecordingError } from '../case-core/recording.error';
import type { CaseEntity } from './case.entity';
import { CaseRepository } from './case.repository';

/**
 * Who may see and act on a case: officers of the case's agency act and read; supervisors (执法监督)
 * read the cases of their region; system administrators read everything.
 */
@Injectable()
export class CaseAccessService {
  constructor(private readonly cases: CaseRepository) {}

  /**
   * For writes: the caller must belong to the case's agency, and the case's stored state must match its seal
   * (CASE_STATE_TAMPERED otherwise). Inside a transaction pass it (or its manager).
   */
  async forAction(user: AuthenticatedUser, caseId: string, tx?: TransactionScope): Promise<CaseEntity> {
    const found = await this.load(caseId, tx);
    if (user.agencyId !== found.agencyId) throw caseScope();
    // Checked after the scope: an outsider learns nothing about another agency's case.
    this.cases.checkSeal(found);
    return found;
  }

  /** For reads: the case's agency, a supervisor of its region, or a system administrator. */
  async forReading(user: AuthenticatedUser, caseId: string, tx?: TransactionScope): Promise<CaseEntity> {
    const found = await this.load(caseId, tx);
    if (!CaseAccessService.canRead(user, found)) throw caseScope();
    return found;
  }

  /** Refuses a case whose stored state no longer matches its seal (CASE_STATE_TAMPERED), before anything is written to it. */
  checkSeal(found: CaseEntity): void {
    this.cases.checkSeal(found);
  }

  static canRead(user: AuthenticatedUser, found: Pick<CaseEntity, 'agencyId' | 'regionCode'>): boolean {
    if (user.agencyId && user.agencyId === found.agencyId) return true;
    if (user.roles.includes('system-admin')) return true;
    return user.roles.includes('supervisor') && !!user.supervisedRegionCode && regionCovers(user.supervisedRegionCode, found.regionCode);
  }

  /**
   * Who sees a party's ID number and contacts: an officer of the case's agency with a role in the case (a handling
   * officer, or one who acted in a recorded step). Not supervisors, administrators or the agency's other staff,
   * whichever agency their token claims; they see the party's name (个人信息保护, 118号).
   */
  static canSeePartyData(user: AuthenticatedUser, found: Pick<CaseEntity, 'agencyId' | 'handlingOfficerIds' | 'procedureState'>): boolean {
    if (!user.roles.includes('officer') || user.agencyId !== found.agencyId) return false;
    return found.handlingOfficerIds.includes(user.userId) || (found.procedureState?.actingOfficerIds ?? []).includes(user.userId);
  }

  private async load(caseId: string, tx?: TransactionScope): Promise<CaseEntity> {
    const found = await this.cases.find(caseId, tx);
    if (!found) throw new RecordingError('CASE_NOT_FOUND', '案件不存在', 'not-found');
    return found;
  }
}

function caseScope(): RecordingError {
  return new RecordingError('CASE_SCOPE', '只能查看或办理本机关（或监督辖区内）的案件', 'forbidden');
}
