import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PublicAgencyEntity } from './public-agency.entity';

/** The agencies as AgencyRegistered announced them (public_agencies). */
@Injectable()
export class PublicAgencyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Keeps the agency as announced; a registration again overwrites. */
  async register(manager: EntityManager, agency: PublicAgencyEntity): Promise<void> {
    await manager.upsert(PublicAgencyEntity, agency, ['id']);
  }

  byId(agencyId: string, manager: EntityManager = this.dataSource.manager): Promise<PublicAgencyEntity | null> {
    return manager.findOneBy(PublicAgencyEntity, { id: agencyId });
  }
}
