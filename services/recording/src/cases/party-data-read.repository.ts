import { Injectable } from '@nestjs/common';
import { applyKeyset, keysetPage, type KeysetPage, type KeysetPosition } from '@enforcement/service-runtime';
import { DataSource } from 'typeorm';
import { PartyDataReadEntity } from './party-data-read.entity';
import { withinScope, type SupervisionScope } from './supervision-scope';

export interface PartyDataReadQuery {
  caseId?: string;
  agencyId?: string;
  scope: SupervisionScope;
  limit: number;
  after?: KeysetPosition;
}

/** The log of readings of parties' personal data (party_data_reads): appended, never changed. */
@Injectable()
export class PartyDataReadRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(row: PartyDataReadEntity): Promise<void> {
    await this.dataSource.manager.insert(PartyDataReadEntity, row);
  }

  /** Newest first, one query whatever the filters. */
  async page(query: PartyDataReadQuery): Promise<KeysetPage<PartyDataReadEntity>> {
    const builder = applyKeyset(
      this.dataSource.getRepository(PartyDataReadEntity).createQueryBuilder('r'),
      { at: 'r.read_at', id: 'r.id', order: 'DESC' },
      query,
    );
    if (query.caseId) builder.andWhere('r.case_id = :caseId', { caseId: query.caseId });
    if (query.agencyId) builder.andWhere('r.agency_id = :agencyId', { agencyId: query.agencyId });
    withinScope(builder, query.scope, { region: 'r.region_code', agency: 'r.agency_id' });
    return keysetPage(await builder.getMany(), query.limit, (row) => ({ at: row.readAt, id: row.id }));
  }
}
