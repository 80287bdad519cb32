import { Injectable } from '@nestjs/common';
import { applyKeyset, keysetPage, type KeysetPage, type KeysetPosition } from '@enforcement/service-runtime';
import { DataSource } from 'typeorm';
import { withinScope, type SupervisionScope } from '../cases/supervision-scope';
import { EvidenceViewEntity } from './evidence-view.entity';

export interface EvidenceViewQuery {
  caseId?: string;
  /** The agency whose case holds the evidence. */
  agencyId?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  scope: SupervisionScope;
  limit: number;
  after?: KeysetPosition;
}

/** The viewing log's rows (evidence_views): appended, never changed. */
@Injectable()
export class EvidenceViewRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(row: EvidenceViewEntity): Promise<void> {
    await this.dataSource.manager.insert(EvidenceViewEntity, row);
  }

  /** Newest first, one query whatever the filters. */
  async page(query: EvidenceViewQuery): Promise<KeysetPage<EvidenceViewEntity>> {
    const builder = applyKeyset(
      this.dataSource.getRepository(EvidenceViewEntity).createQueryBuilder('v'),
      { at: 'v.viewed_at', id: 'v.id', order: 'DESC' },
      query,
    );
    if (query.caseId) builder.andWhere('v.case_id = :caseId', { caseId: query.caseId });
    if (query.agencyId) builder.andWhere('v.agency_id = :agencyId', { agencyId: query.agencyId });
    if (query.from) builder.andWhere('v.viewed_at >= :from', { from: query.from });
    if (query.to) builder.andWhere('v.viewed_at < :to', { to: query.to });
    withinScope(builder, query.scope, { region: 'v.region_code', agency: 'v.agency_id' });
    return keysetPage(await builder.getMany(), query.limit, (row) => ({ at: row.viewedAt, id: row.id }));
  }
}
