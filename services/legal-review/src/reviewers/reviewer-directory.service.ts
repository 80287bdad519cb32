import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ReviewerCandidate } from '../review-core/reviewer-eligibility';
import { ReviewerDirectoryRepository } from './reviewer-directory.repository';

/**
 * Reviewers and enforcement officers as the certificate read model knows them (fed by certificate events): the
 * reviewer role is granted by certificates only with a legal-review qualification and taken away with it.
 */
@Injectable()
export class ReviewerDirectoryService {
  constructor(private readonly directory: ReviewerDirectoryRepository) {}

  async candidate(officerId: string, manager?: EntityManager): Promise<(ReviewerCandidate & { name: string }) | null> {
    const officer = await this.directory.officer(officerId, manager);
    return officer
      ? { officerId: officer.id, agencyId: officer.agencyId, qualified: officer.roles.includes('reviewer'), name: officer.name }
      : null;
  }

  /** The agency's officers who hold the reviewer role. */
  async reviewers(agencyId: string, manager?: EntityManager): Promise<Array<ReviewerCandidate & { name: string }>> {
    const officers = await this.directory.officersOf(agencyId, manager);
    return officers
      .filter((officer) => officer.roles.includes('reviewer'))
      .map((officer) => ({ officerId: officer.id, agencyId, qualified: true, name: officer.name }))
      .sort((a, b) => (a.officerId < b.officerId ? -1 : 1));
  }

  /** Officers of the agency with an active certificate (enforcement staff, 118号). */
  enforcementOfficers(agencyId: string): Promise<number> {
    return this.directory.countWithActiveCertificate(agencyId);
  }
}
