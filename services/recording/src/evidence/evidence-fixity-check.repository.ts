import { Injectable } from '@nestjs/common';
import { applyKeyset, keysetPage, type KeysetPage, type KeysetPosition } from '@enforcement/service-runtime';
import { DataSource, In } from 'typeorm';
import type { TransactionScope } from '../case-core/ports';
import { CaseEntity } from '../cases/case.entity';
import { managerOf } from '../cases/case.repository';
import { withinScope, type SupervisionScope } from '../cases/supervision-scope';
import { EvidenceFixityCheckEntity } from './evidence-fixity-check.entity';
import { EvidenceItemEntity } from './evidence-item.entity';

/** A sealed item due for a re-hash, with what the check row needs of its case. */
export interface FixityCandidate {
  item: EvidenceItemEntity;
  agencyId: string;
  regionCode: string;
}

/** The fixity sweep's results (evidence_fixity_checks): appended, never changed. */
@Injectable()
export class EvidenceFixityCheckRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The `limit` items checked longest ago, those never checked first: every original comes round in turn, however
   * many there are and however small the batches.
   */
  async dueForCheck(limit: number): Promise<FixityCandidate[]> {
    const due = await this.dataSource
      .createQueryBuilder()
      .select('i.id', 'id')
      .from(EvidenceItemEntity, 'i')
      .leftJoin(EvidenceFixityCheckEntity, 'f', 'f.evidence_id = i.id')
      .groupBy('i.id')
      .orderBy('CASE WHEN MAX(f.checked_at) IS NULL THEN 0 ELSE 1 END', 'ASC')
      .addOrderBy('MAX(f.checked_at)', 'ASC')
      .addOrderBy('i.id', 'ASC')
      .limit(limit)
      .getRawMany<{ id: string }>();
    if (due.length === 0) return [];
    const items = await this.dataSource.manager.findBy(EvidenceItemEntity, { id: In(due.map((row) => row.id)) });
    const cases = await this.dataSource.manager.findBy(CaseEntity, { id: In([...new Set(items.map((item) => item.caseId))]) });
    const caseOf = new Map(cases.map((row) => [row.id, row]));
    const itemOf = new Map(items.map((item) => [item.id, item]));
    return due.flatMap(({ id }) => {
      const item = itemOf.get(id);
      const caseRow = item && caseOf.get(item.caseId);
      return item && caseRow ? [{ item, agencyId: caseRow.agencyId, regionCode: caseRow.regionCode }] : [];
    });
  }

  /** One item with what a check row needs of its case, e.g. to re-check it after a failed playback. */
  async candidateOf(evidenceId: string): Promise<FixityCandidate | undefined> {
    const item = await this.dataSource.manager.findOneBy(EvidenceItemEntity, { id: evidenceId });
    const caseRow = item && (await this.dataSource.manager.findOneBy(CaseEntity, { id: item.caseId }));
    return item && caseRow ? { item, agencyId: caseRow.agencyId, regionCode: caseRow.regionCode } : undefined;
  }

  async insert(row: EvidenceFixityCheckEntity, tx?: TransactionScope): Promise<void> {
    await managerOf(this.dataSource, tx).insert(EvidenceFixityCheckEntity, row);
  }

  /** The latest check of an item, if any. */
  async latestOf(evidenceId: string): Promise<EvidenceFixityCheckEntity | undefined> {
    return (
      (await this.dataSource.manager.findOne(EvidenceFixityCheckEntity, {
        where: { evidenceId },
        order: { checkedAt: 'DESC', id: 'DESC' },
      })) ?? undefined
    );
  }

  /** Failed checks, newest first, within the scope. */
  async failures(query: {
    scope: SupervisionScope;
    caseId?: string;
    limit: number;
    after?: KeysetPosition;
  }): Promise<KeysetPage<EvidenceFixityCheckEntity>> {
    const builder = applyKeyset(
      this.dataSource.getRepository(EvidenceFixityCheckEntity).createQueryBuilder('f'),
      { at: 'f.checked_at', id: 'f.id', order: 'DESC' },
      query,
    ).andWhere('f.ok = :ok', { ok: false });
    if (query.caseId) builder.andWhere('f.case_id = :caseId', { caseId: query.caseId });
    withinScope(builder, query.scope, { region: 'f.region_code', agency: 'f.agency_id' });
    return keysetPage(await builder.getMany(), query.limit, (row) => ({ at: row.checkedAt, id: row.id }));
  }
}
