import { Injectable } from '@nestjs/common';
import { KnownCertificateEntity, KnownOfficerEntity } from '@enforcement/certificates';
import { DataSource, type EntityManager } from 'typeorm';

/** Reads of the certificate read model (known_officers, known_certificates) that the reviewer directory needs. */
@Injectable()
export class ReviewerDirectoryRepository {
  constructor(private readonly dataSource: DataSource) {}

  officer(officerId: string, manager: EntityManager = this.dataSource.manager): Promise<KnownOfficerEntity | null> {
    return manager.findOne(KnownOfficerEntity, { where: { id: officerId } });
  }

  officersOf(agencyId: string, manager: EntityManager = this.dataSource.manager): Promise<KnownOfficerEntity[]> {
    return manager.find(KnownOfficerEntity, { where: { agencyId } });
  }

  /** How many distinct officers of the agency hold an active certificate. */
  async countWithActiveCertificate(agencyId: string): Promise<number> {
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
