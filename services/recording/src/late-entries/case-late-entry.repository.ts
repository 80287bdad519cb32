import { Injectable } from '@nestjs/common';
import { applyKeyset, keysetPage, type KeysetPage, type KeysetPosition } from '@enforcement/service-runtime';
import { DataSource } from 'typeorm';
import type { TransactionScope } from '../case-core/ports';
import { managerOf } from '../cases/case.repository';
import { withinScope, type SupervisionScope } from '../cases/supervision-scope';
import { CaseLateEntryEntity } from './case-late-entry.entity';

/** The late-entry list (`case_late_entries`): a row per step entered late, appended, never changed. */
@Injectable()
export class CaseLateEntryRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(tx: TransactionScope, row: CaseLateEntryEntity): Promise<void> {
    await managerOf(this.dataSource, tx).insert(CaseLateEntryEntity, row);
  }

  /** Newest first, a page at a time, within the scope. */
  async page(scope: SupervisionScope, page: { after?: KeysetPosition; limit: number }): Promise<KeysetPage<CaseLateEntryEntity>> {
    const builder = applyKeyset(
      this.dataSource.getRepository(CaseLateEntryEntity).createQueryBuilder('l'),
      { at: 'l.recorded_at', id: 'l.record_id', order: 'DESC' },
      page,
    );
    withinScope(builder, scope, { region: 'l.region_code', agency: 'l.agency_id' });
    return keysetPage(await builder.getMany(), page.limit, (row) => ({ at: row.recordedAt, id: row.recordId }));
  }
}
