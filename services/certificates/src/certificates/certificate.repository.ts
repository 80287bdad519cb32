import { Injectable } from '@nestjs/common';
import { DataSource, In, LessThanOrEqual, type DeepPartial, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { CertificateHistoryEntity } from './certificate-history.entity';
import type { CertificateStatus } from './certificate-lifecycle';
import { CertificateEntity } from './certificate.entity';

export type NewCertificateHistory = Omit<CertificateHistoryEntity, 'id'>;

/** Certificates (certificates) and their history (certificate_history): the only place that queries them. */
@Injectable()
export class CertificateRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<CertificateEntity | null> {
    return manager.findOneBy(CertificateEntity, { id });
  }

  async findByNumber(number: string): Promise<CertificateEntity | null> {
    return this.dataSource.getRepository(CertificateEntity).findOneBy({ number });
  }

  async existsWithNumber(manager: EntityManager, number: string): Promise<boolean> {
    return manager.existsBy(CertificateEntity, { number });
  }

  /** Which of these numbers certificates already carry. */
  async existingNumbers(numbers: readonly string[]): Promise<Set<string>> {
    const found = await this.dataSource
      .getRepository(CertificateEntity)
      .find({ select: { number: true }, where: { number: In([...numbers]) } });
    return new Set(found.map((certificate) => certificate.number));
  }

  /** An officer's certificates, the latest validity first. */
  async ofOfficer(officerId: string): Promise<CertificateEntity[]> {
    return this.dataSource.getRepository(CertificateEntity).find({ where: { officerId }, order: { validUntil: 'DESC' } });
  }

  /** How many officers of the agency hold an active certificate. */
  async countActiveHolders(agencyId: string): Promise<number> {
    const [counted] = await this.dataSource.query(
      "SELECT COUNT(DISTINCT officer_id) AS n FROM certificates WHERE agency_id = ? AND status = 'active'",
      [agencyId],
    );
    return Number(counted.n);
  }

  /** Inserts the certificate made of the mapped columns among `values`, and returns it. */
  async insert(manager: EntityManager, values: DeepPartial<CertificateEntity>): Promise<CertificateEntity> {
    const certificate = manager.create(CertificateEntity, values);
    await manager.insert(CertificateEntity, certificate);
    return certificate;
  }

  /** Applies the changes only if the certificate is still in `status`; false if it is not (changed meanwhile). */
  async updateIfStatus(
    manager: EntityManager,
    id: string,
    status: CertificateStatus,
    changes: Partial<CertificateEntity>,
  ): Promise<boolean> {
    const result = await manager.update(CertificateEntity, { id, status }, changes);
    return !!result.affected;
  }

  /** Active or suspended certificates whose validity ended by `now`, the longest ended first. */
  async dueForExpiry(now: Date, limit: number): Promise<CertificateEntity[]> {
    return this.dataSource.getRepository(CertificateEntity).find({
      where: { status: In(['active', 'suspended']), validUntilAt: LessThanOrEqual(now) },
      order: { validUntilAt: 'ASC', id: 'ASC' },
      take: limit,
    });
  }

  /**
   * Applies the expiry only if the certificate is still as read (`status`) and still due at `now`: not expired by
   * another run, suspended, reinstated or renewed meanwhile. False if it is not.
   */
  async expireIfStill(
    manager: EntityManager,
    read: Pick<CertificateEntity, 'id' | 'status'>,
    now: Date,
    changes: Pick<CertificateEntity, 'status' | 'updatedAt'>,
  ): Promise<boolean> {
    const result = await manager.update(
      CertificateEntity,
      { id: read.id, status: read.status, validUntilAt: LessThanOrEqual(now) },
      changes,
    );
    return !!result.affected;
  }

  async insertHistory(manager: EntityManager, entry: NewCertificateHistory): Promise<void> {
    // The terms are a JSON column: TypeORM's partial type would have them as a partial entity.
    await manager.insert(CertificateHistoryEntity, entry as QueryDeepPartialEntity<CertificateHistoryEntity>);
  }

  /** In the order it was written. */
  async historyOf(certificateId: string): Promise<CertificateHistoryEntity[]> {
    return this.dataSource.getRepository(CertificateHistoryEntity).find({ where: { certificateId }, order: { id: 'ASC' } });
  }
}
