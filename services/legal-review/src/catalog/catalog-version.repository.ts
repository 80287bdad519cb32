import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CatalogVersionEntity } from './catalog-version.entity';

/** The only TypeORM user for the published catalog versions (catalog_versions); a version is never changed. */
@Injectable()
export class CatalogVersionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The agency's latest published version, or null before its first. */
  latest(agencyId: string, manager: EntityManager = this.dataSource.manager): Promise<CatalogVersionEntity | null> {
    return manager.getRepository(CatalogVersionEntity).findOne({ where: { agencyId }, order: { version: 'DESC' } });
  }

  /** Fails on the unique (agency, version) index when another publication took the number first. */
  async insert(manager: EntityManager, row: CatalogVersionEntity): Promise<void> {
    await manager.insert(CatalogVersionEntity, row);
  }

  /** The agency's versions, newest first (at most `limit`). */
  listOf(agencyId: string, limit: number): Promise<CatalogVersionEntity[]> {
    return this.dataSource.getRepository(CatalogVersionEntity).find({ where: { agencyId }, order: { version: 'DESC' }, take: limit });
  }

  byVersion(agencyId: string, version: number): Promise<CatalogVersionEntity | null> {
    return this.dataSource.getRepository(CatalogVersionEntity).findOne({ where: { agencyId, version } });
  }
}
