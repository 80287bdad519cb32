import { Injectable } from '@nestjs/common';
import { DataSource, type DeepPartial, type EntityManager } from 'typeorm';
import { AgencyEntity } from './agency.entity';

/** Agencies (agencies): the only place that queries their table. */
@Injectable()
export class AgencyRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<AgencyEntity | null> {
    return manager.findOneBy(AgencyEntity, { id });
  }

  /** The agency, which must exist (a row refers to it); EntityNotFoundError otherwise. */
  async getById(id: string): Promise<AgencyEntity> {
    return this.dataSource.manager.findOneByOrFail(AgencyEntity, { id });
  }

  async exists(id: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return manager.existsBy(AgencyEntity, { id });
  }

  async existsWithCreditCode(manager: EntityManager, creditCode: string): Promise<boolean> {
    return manager.existsBy(AgencyEntity, { creditCode });
  }

  /** Inserts the agency made of the mapped columns among `values`, and returns it. */
  async insert(manager: EntityManager, values: DeepPartial<AgencyEntity>): Promise<AgencyEntity> {
    const agency = manager.create(AgencyEntity, values);
    await manager.insert(AgencyEntity, agency);
    return agency;
  }

  /** By region code, then name. */
  async list(): Promise<AgencyEntity[]> {
    return this.dataSource.getRepository(AgencyEntity).find({ order: { regionCode: 'ASC', name: 'ASC' } });
  }
}
