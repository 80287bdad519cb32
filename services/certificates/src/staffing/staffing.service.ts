import { Injectable } from '@nestjs/common';
import { assertAgencyScope, type AuthenticatedUser } from '@enforcement/auth';
import { CertificateRepository } from '../certificates/certificate.repository';
import { CertificatesError } from '../errors/certificates.error';
import { OfficerRepository } from '../officers/officer.repository';

/** Legal review staff should be at least 5% of enforcement staff (国办发〔2018〕118号). */
export const REVIEWER_STAFF_GUIDELINE = 0.05;

/**
 * What an agency's administrators see of their staff across officers and their certificates: an officer's
 * profile (certificates and review qualification included) and the agency's reviewers against its
 * enforcement staff. Above both folders, so that officers never reads certificates.
 */
@Injectable()
export class StaffingService {
  constructor(
    private readonly officers: OfficerRepository,
    private readonly certificates: CertificateRepository,
  ) {}

  async get(officerId: string, actor: AuthenticatedUser) {
    const officer = await this.officers.findById(officerId);
    if (!officer) throw new CertificatesError('OFFICER_NOT_FOUND', '执法人员不存在', 'not-found');
    assertAgencyScope(actor, officer.agencyId);
    const [certificates, qualification] = await Promise.all([
      this.certificates.ofOfficer(officerId),
      this.officers.activeQualification(officerId),
    ]);
    return { ...officer, certificates, reviewQualification: qualification };
  }

  /** Enforcement staff (holders of an active certificate) against qualified legal reviewers. */
  async staffRatio(agencyId: string, actor: AuthenticatedUser) {
    assertAgencyScope(actor, agencyId);
    const enforcementStaff = await this.certificates.countActiveHolders(agencyId);
    const officers = await this.officers.listOfAgency(agencyId);
    const qualified = await this.officers.qualifiedOfficerIds();
    const reviewers = officers.filter((o) => o.roles.includes('reviewer') && qualified.has(o.id)).length;
    const ratio = enforcementStaff === 0 ? 0 : reviewers / enforcementStaff;
    return { agencyId, enforcementStaff, legalReviewers: reviewers, ratio, meetsGuideline: ratio >= REVIEWER_STAFF_GUIDELINE };
  }
}
