import { Injectable } from '@nestjs/common';
import { isDuplicateKeyError } from '@enforcement/persistence';
import { DataSource, In, IsNull, type EntityManager } from 'typeorm';
import { OfficerEntity } from './officer.entity';
import { ReviewQualificationEntity } from './review-qualification.entity';

/** Officers (officers) and their review qualifications (review_qualifications): the only place that queries them. */
@Injectable()
export class OfficerRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<OfficerEntity | null> {
    return manager.findOneBy(OfficerEntity, { id });
  }

  /** The officer, which must exist (a row refers to it); EntityNotFoundError otherwise. */
  async getById(id: string): Promise<OfficerEntity> {
    return this.dataSource.manager.findOneByOrFail(OfficerEntity, { id });
  }

  /** Of one agency, by name. */
  async listOfAgency(agencyId: string): Promise<OfficerEntity[]> {
    return this.dataSource.getRepository(OfficerEntity).find({ where: { agencyId }, order: { name: 'ASC' } });
  }

  async countOfAgency(agencyId: string): Promise<number> {
    return this.dataSource.getRepository(OfficerEntity).countBy({ agencyId });
  }

  /** Whether an officer is stored under any of these blind indexes of an ID number. */
  async existsWithIdNumberIndex(manager: EntityManager, indexes: readonly string[]): Promise<boolean> {
    return manager.existsBy(OfficerEntity, { idNumberIndex: In([...indexes]) });
  }

  /** Which of these blind indexes are stored; only the indexes are read, never the encrypted numbers. */
  async storedIdNumberIndexes(indexes: readonly string[]): Promise<string[]> {
    const found = await this.dataSource
      .getRepository(OfficerEntity)
      .createQueryBuilder('o')
      .select('o.id_number_index', 'idNumberIndex')
      .where({ idNumberIndex: In([...indexes]) })
      .getRawMany<{ idNumberIndex: string }>();
    return found.map((row) => row.idNumberIndex);
  }

  /** Inserts the officer; false when a unique key (the ID number's blind index, the id) already holds another. */
  async insertUnlessTaken(manager: EntityManager, officer: OfficerEntity): Promise<boolean> {
    try {
      await manager.insert(OfficerEntity, officer);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async updateRoles(
    manager: EntityManager,
    officerId: string,
    changes: Pick<OfficerEntity, 'roles'> & Partial<Pick<OfficerEntity, 'supervisedRegionCode'>>,
  ): Promise<void> {
    await manager.update(OfficerEntity, { id: officerId }, changes);
  }

  async hasQualification(manager: EntityManager, officerId: string): Promise<boolean> {
    return manager.existsBy(ReviewQualificationEntity, { officerId, withdrawnAt: IsNull() });
  }

  /** The officer's qualification not withdrawn, if any. */
  async activeQualification(officerId: string): Promise<ReviewQualificationEntity | null> {
    return this.dataSource.getRepository(ReviewQualificationEntity).findOneBy({ officerId, withdrawnAt: IsNull() });
  }

  /** Every officer, of any agency, whose qualification is not withdrawn. */
  async qualifiedOfficerIds(): Promise<Set<string>> {
    const qualifications = await this.dataSource.getRepository(ReviewQualificationEntity).find({ where: { withdrawnAt: IsNull() } });
    return new Set(qualifications.map((qualification) => qualification.officerId));
  }

  /** A new grant replaces the officer's earlier (possibly withdrawn) qualification. */
  async saveQualification(manager: EntityManager, qualification: ReviewQualificationEntity): Promise<void> {
    await manager.upsert(ReviewQualificationEntity, qualification, ['officerId']);
  }

  /** Withdraws the qualification if one is in force; false if none was. */
  async withdrawQualification(manager: EntityManager, officerId: string, at: Date, reason: string): Promise<boolean> {
    const result = await manager.update(
      ReviewQualificationEntity,
      { officerId, withdrawnAt: IsNull() },
      { withdrawnAt: at, withdrawalReason: reason },
    );
    return !!result.affected;
  }
}
