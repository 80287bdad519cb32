import { Injectable } from '@nestjs/common';
import { applyKeyset, keysetPage, type KeysetPage, type KeysetPosition } from '@enforcement/service-runtime';
import { DataSource } from 'typeorm';
import type { CertificateRefusalCode } from '../check/certificate-refusal-code';
import { coveragePrefix } from '../check/region-code';
import { CertificateRefusalEntity } from './certificate-refusal.entity';

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

/** The log of the certificate check's refusals (certificate_refusals): appended, never changed. */
@Injectable()
export class CertificateRefusalRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(row: CertificateRefusalEntity): Promise<void> {
    await this.dataSource.getRepository(CertificateRefusalEntity).insert(row);
  }

  /** Newest first, one query whatever the filters. */
  async page(query: CertificateRefusalQuery): Promise<KeysetPage<CertificateRefusalEntity>> {
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
