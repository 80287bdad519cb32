import { Injectable } from '@nestjs/common';
import { applyKeyset, keysetPage, type KeysetPage, type KeysetPosition } from '@enforcement/service-runtime';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { CertificateRefusalCode } from '../check/certificate-refusal-code';
import { coveragePrefix } from '../check/region-code';
import { CertificateRefusalEntity } from './certificate-refusal.entity';

export type NewCertificateRefusal = Omit<CertificateRefusalEntity, 'id'>;

export interface CertificateRefusalQuery {
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  agencyId?: string;
  code?: CertificateRefusalCode;
  /** Only refusals in this division and those below it (a supervisor's region). */
  withinRegion?: string;
  limit: number;
  /** Resume after this refusal (from a previous page's `nextCursor`). */
  after?: KeysetPosition;
}

/** The refusals of the certificate check, kept for supervisors (执法监督). */
@Injectable()
export class CertificateRefusalLogService {
  constructor(private readonly dataSource: DataSource) {}

  async record(refusal: NewCertificateRefusal): Promise<CertificateRefusalEntity> {
    const row: CertificateRefusalEntity = { id: randomUUID(), ...refusal };
    await this.dataSource.getRepository(CertificateRefusalEntity).insert(row);
    return row;
  }

  /** Newest first. */
  async list(query: CertificateRefusalQuery): Promise<KeysetPage<CertificateRefusalEntity>> {
    const builder = applyKeyset(
      this.dataSource.getRepository(CertificateRefusalEntity).createQueryBuilder('r'),
      { at: 'r.occurred_at', id: 'r.id', order: 'DESC' },
      query,
    );
    if (query.from) builder.andWhere('r.occurred_at >= :from', { from: query.from });
    if (query.to) builder.andWhere('r.occurred_at < :to', { to: query.to });
    if (query.agencyId) builder.andWhere('r.agency_id = :agencyId', { agencyId: query.agencyId });
    if (query.code) builder.andWhere('r.code = :code', { code: query.code });
    if (query.withinRegion) {
      // Digits only, so the prefix needs no LIKE escaping.
      builder.andWhere('r.region_code LIKE :region', { region: `${coveragePrefix(query.withinRegion)}%` });
    }
    return keysetPage(await builder.getMany(), query.limit, (row) => ({ at: row.occurredAt, id: row.id }));
  }
}
