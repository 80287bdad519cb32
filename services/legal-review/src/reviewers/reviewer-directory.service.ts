import { Injectable } from '@nestjs/common';
import { KnownCertificateEntity, KnownOfficerEntity } from '@enforcement/certificates';
import { DataSource, type EntityManager } from 'typeorm';
import type { ReviewerCandidate } from '../review-core/reviewer-eligibility';

/**
 * Reviewers and enforcement officers as the certificate read model knows them (fed by certificate events): the
 * reviewer role is granted by certificates only with a legal-review qualification and taken away with it.
 */
@Injectable()
export class ReviewerDirectoryService {
  constructor(private readonly dataSource: DataSource) {}

  async candidate(
    officerId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<(ReviewerCandidate & { name: string }) | null> {
    const officer = await manager.findOne(KnownOfficerEntity, { where: { id: officerId } });
    return officer
      ? { officerId: officer.id, agencyId: officer.agencyId, qualified: officer.roles.includes('reviewer'), name: officer.name }
      : null;
  }

  /** The agency's officers who hold the reviewer role. */
  async reviewers(
    agencyId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Array<ReviewerCandidate & { name: string }>> {
    const officers = await manager.find(KnownOfficerEntity, { where: { agencyId } });
    return officers
      .filter((officer) => officer.roles.includes('reviewer'))
      .map((officer) => ({ officerId: officer.id, agencyId, qualified: true, name: officer.name }))
      .sort((a, b) => (a.officerId < b.officerId ? -1 : 1));
  }

  /** Officers of the agency with an active certificate (enforcement staff, 118号). */
  async enforcementOfficers(agencyId: string): Promise<number> {
    const row: { officers: string | number } | undefined = await this.dataSource
      .getRepository(KnownCertificateEntity)
      .createQueryBuilder('c')
      .select('COUNT(DISTINCT c.officer_id)', 'officers')
      .where('c.agency_id = :agencyId', { agencyId })
      .andWhere("c.status = 'active'")
      .getRawOne();
    return Number(row?.officers ?? 0);
  }
}
