import { Injectable } from '@nestjs/common';
import { assertAgencyScope, type AuthenticatedUser } from '@enforcement/auth';
import { DataSource, IsNull } from 'typeorm';
import { CertificateEntity } from '../certificates/certificate.entity';
import { CertificatesError } from '../errors/certificates.error';
import { OfficerEntity } from '../officers/officer.entity';
import { ReviewQualificationEntity } from '../officers/review-qualification.entity';

/** Legal review staff should be at least 5% of enforcement staff (国办发〔2018〕118号). */
export const REVIEWER_STAFF_GUIDELINE = 0.05;

/**
 * What an agency's administrators see of their staff across officers and their certificates: an officer's
 * profile (certificates and review qualification included) and the agency's reviewers against its
 * enforcement staff. Above both folders, so that officers never reads certificates.
 */
@Injectable()
export class StaffingService {
  constructor(private readonly dataSource: DataSource) {}

  async get(officerId: string, actor: AuthenticatedUser) {
    const officer = await this.dataSource.getRepository(OfficerEntity).findOneBy({ id: officerId });
    if (!officer) throw new CertificatesError('OFFICER_NOT_FOUND', '执法人员不存在', 'not-found');
    assertAgencyScope(actor, officer.agencyId);
    const [certificates, qualification] = await Promise.all([
      this.dataSource.getRepository(CertificateEntity).find({ where: { officerId }, order: { validUntil: 'DESC' } }),
      this.dataSource.getRepository(ReviewQualificationEntity).findOneBy({ officerId, withdrawnAt: IsNull() }),
    ]);
    return { ...officer, certificates, reviewQualification: qualification };
  }

  /** Enforcement staff (holders of an active certificate) against qualified legal reviewers. */
  async staffRatio(agencyId: string, actor: AuthenticatedUser) {
    assertAgencyScope(actor, agencyId);
    const [enforcement] = await this.dataSource.query(
      "SELECT COUNT(DISTINCT officer_id) AS n FROM certificates WHERE agency_id = ? AND status = 'active'",
      [agencyId],
    );
    const officers = await this.dataSource.getRepository(OfficerEntity).find({ where: { agencyId } });
    const qualified = new Set(
      (await this.dataSource.getRepository(ReviewQualificationEntity).find({ where: { withdrawnAt: IsNull() } })).map((q) => q.officerId),
    );
    const reviewers = officers.filter((o) => o.roles.includes('reviewer') && qualified.has(o.id)).length;
    const enforcementStaff = Number(enforcement.n);
    const ratio = enforcementStaff === 0 ? 0 : reviewers / enforcementStaff;
    return { agencyId, enforcementStaff, legalReviewers: reviewers, ratio, meetsGuideline: ratio >= REVIEWER_STAFF_GUIDELINE };
  }
}
