import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { KnownAgencyEntity } from './known-agency.entity';

/** The agencies as AgencyRegistered announced them (known_agencies). */
@Injectable()
export class KnownAgencyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Keeps the agency as announced; a registration again overwrites. */
  async register(manager: EntityManager, agency: KnownAgencyEntity): Promise<void> {
    await manager.upsert(KnownAgencyEntity, agency, ['id']);
  }

  byId(agencyId: string): Promise<KnownAgencyEntity | null> {
    return this.dataSource.manager.findOne(KnownAgencyEntity, { where: { id: agencyId } });
  }
}
