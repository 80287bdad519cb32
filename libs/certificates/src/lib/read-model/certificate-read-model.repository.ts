import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager, type EntitySubscriberInterface } from 'typeorm';
import { KnownCertificateEntity } from './known-certificate.entity';
import { KnownOfficerEntity } from './known-officer.entity';

/** Where a walk through the certificates in (updated_at, id) order resumes. */
export interface CertificatePosition {
  updatedAt: Date;
  id: string;
}

export interface ChangedCertificatesQuery {
  /** Rows changed at or after this instant; every row without it. */
  since?: Date;
  /** Rows after this one in (updated_at, id) order. */
  after?: CertificatePosition;
  limit: number;
  /** Only id, version and updatedAt: enough to tell which rows are newer than those held. */
  keysOnly?: boolean;
}

/** The certificate read model (known_certificates, known_officers): the only place that queries its tables. */
@Injectable()
export class CertificateReadModelRepository {
  constructor(private readonly dataSource: DataSource) {}

  async officer(manager: EntityManager, id: string): Promise<KnownOfficerEntity | null> {
    return manager.findOne(KnownOfficerEntity, { where: { id } });
  }

  /** Inserts the officer, or replaces the row held. */
  async saveOfficer(manager: EntityManager, officer: KnownOfficerEntity): Promise<void> {
    await manager.save(KnownOfficerEntity, officer);
  }

  async updateOfficer(manager: EntityManager, id: string, changes: Partial<Omit<KnownOfficerEntity, 'id'>>): Promise<void> {
    await manager.update(KnownOfficerEntity, { id }, changes);
  }

  async certificate(manager: EntityManager, id: string): Promise<KnownCertificateEntity | null> {
    return manager.findOne(KnownCertificateEntity, { where: { id } });
  }

  async insertCertificate(manager: EntityManager, certificate: KnownCertificateEntity): Promise<void> {
    await manager.insert(KnownCertificateEntity, certificate);
  }

  /** Writes the row's columns only if it still has `version`; false if another writer changed it first. */
  async updateCertificateIfVersion(manager: EntityManager, version: number, certificate: KnownCertificateEntity): Promise<boolean> {
    const { id, ...columns } = certificate;
    const result = await manager
      .createQueryBuilder()
      .update(KnownCertificateEntity)
      .set(columns)
      .where('id = :id AND version = :version', { id, version })
      .execute();
    return result.affected === 1;
  }

  /** One page of certificates in (updated_at, id) order. */
  async changedCertificates(query: ChangedCertificatesQuery): Promise<KnownCertificateEntity[]> {
    const builder = this.dataSource
      .getRepository(KnownCertificateEntity)
      .createQueryBuilder('c')
      .orderBy('c.updated_at', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .take(query.limit);
    if (query.keysOnly) builder.select(['c.id', 'c.version', 'c.updatedAt']);
    if (query.since) builder.andWhere('c.updated_at >= :since', { since: query.since });
    if (query.after) {
      builder.andWhere('(c.updated_at > :afterAt OR (c.updated_at = :afterAt AND c.id > :afterId))', {
        afterAt: query.after.updatedAt,
        afterId: query.after.id,
      });
    }
    return builder.getMany();
  }

  async certificatesById(ids: readonly string[]): Promise<KnownCertificateEntity[]> {
    return this.dataSource.getRepository(KnownCertificateEntity).findBy({ id: In([...ids]) });
  }

  /** Tells `listener` of every transaction of the data source that commits or rolls back, until the returned stop is called. */
  watchTransactions(listener: Pick<EntitySubscriberInterface, 'afterTransactionCommit' | 'afterTransactionRollback'>): () => void {
    this.dataSource.subscribers.push(listener);
    return () => {
      const at = this.dataSource.subscribers.indexOf(listener);
      if (at >= 0) this.dataSource.subscribers.splice(at, 1);
    };
  }
}
