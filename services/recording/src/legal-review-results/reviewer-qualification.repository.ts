import { Injectable } from '@nestjs/common';
import { KnownOfficerEntity } from '@enforcement/certificates';
import { DataSource } from 'typeorm';
import type { TransactionScope } from '../case-core/ports';
import { managerOf } from '../cases/case.repository';

/** A reviewer as the certificate read model knows them. */
export interface KnownReviewer {
  officerId: string;
  agencyId: string;
  /** Holds the reviewer role, which certificates grants only with a legal-review qualification and withdraws with it. */
  qualified: boolean;
}

/** Reads the certificate read model (known_officers, fed by certificates' officer events) for reviewers. */
@Injectable()
export class ReviewerQualificationRepository {
  constructor(private readonly dataSource: DataSource) {}

  async reviewer(officerId: string, tx?: TransactionScope): Promise<KnownReviewer | undefined> {
    const officer = await managerOf(this.dataSource, tx).findOne(KnownOfficerEntity, { where: { id: officerId } });
    return officer ? { officerId: officer.id, agencyId: officer.agencyId, qualified: officer.roles.includes('reviewer') } : undefined;
  }
}
