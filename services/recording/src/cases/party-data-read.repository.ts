import { Injectable } from '@nestjs/common';
import { coveragePrefix } from '@enforcement/certificates';
import { applyKeyset, keysetPage, type KeysetPage, type KeysetPosition } from '@enforcement/service-runtime';
import { DataSource } from 'typeorm';
import { PartyDataReadEntity } from './party-data-read.entity';

export interface PartyDataReadQuery {
  caseId?: string;
  agencyId?: string;
  /** Only reads of cases in this division and those below it (a supervisor's region). */
  withinRegion?: string;
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
    // Division codes are digits only, so the prefix needs no LIKE escaping.
    if (query.withinRegion) builder.andWhere('r.region_code LIKE :region', { region: `${coveragePrefix(query.withinRegion)}%` });
    return keysetPage(await builder.getMany(), query.limit, (row) => ({ at: row.readAt, id: row.id }));
  }
}
