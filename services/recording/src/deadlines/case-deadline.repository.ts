import { Injectable } from '@nestjs/common';
import { applyKeyset, type KeysetPosition } from '@enforcement/service-runtime';
import { DataSource, In, Not } from 'typeorm';
import type { TransactionScope } from '../case-core/ports';
import { managerOf } from '../cases/case.repository';
import { withinScope, type SupervisionScope } from '../cases/supervision-scope';
import { CaseDeadlineEntity } from './case-deadline.entity';
import { DUTY_KINDS } from './deadline-rules';

export type DeadlineStatus = CaseDeadlineEntity['status'];

/** What a supervision list asks for: open (or suspended) duties due in a window, within a scope. */
export interface DeadlineListFilter {
  status: 'open' | 'suspended';
  dueAfter?: Date;
  dueBy?: Date;
  scope: SupervisionScope;
  regionPrefix?: string;
  agencyId?: string;
}

/** The periods of cases (`case_deadlines`) in TypeORM: the only place that touches that table. */
@Injectable()
export class CaseDeadlineRepository {
  constructor(private readonly dataSource: DataSource) {}

  ofCase(caseId: string, tx?: TransactionScope): Promise<CaseDeadlineEntity[]> {
    return managerOf(this.dataSource, tx).find(CaseDeadlineEntity, { where: { caseId }, order: { startsAt: 'ASC', id: 'ASC' } });
  }

  async insert(tx: TransactionScope, rows: CaseDeadlineEntity[]): Promise<void> {
    await managerOf(this.dataSource, tx).insert(CaseDeadlineEntity, rows);
  }

  async change(tx: TransactionScope | undefined, id: string, changes: Partial<CaseDeadlineEntity>): Promise<void> {
    await managerOf(this.dataSource, tx).update(CaseDeadlineEntity, { id }, changes);
  }

  /** Changes those of `ids` still in `from`: a period another step already moved on is left alone. */
  async changeWhile(tx: TransactionScope, ids: string[], from: DeadlineStatus, changes: Partial<CaseDeadlineEntity>): Promise<void> {
    if (ids.length === 0) return;
    await managerOf(this.dataSource, tx).update(CaseDeadlineEntity, { id: In(ids), status: from }, changes);
  }

  /**
   * The periods a new calendar may move: 'provisional' those counted without official data, 'open-or-provisional'
   * also every open or suspended one.
   */
  toRecompute(tx: TransactionScope | undefined, which: 'provisional' | 'open-or-provisional'): Promise<CaseDeadlineEntity[]> {
    const provisional = { calendarCoverage: 'weekdays-only' as const, status: Not('cancelled' as const) };
    return managerOf(this.dataSource, tx).find(CaseDeadlineEntity, {
      where: which === 'provisional' ? provisional : [{ status: In(['open', 'suspended']) }, provisional],
    });
  }

  /** Duties (never the party's windows) for supervision lists, soonest due first, one keyset page. */
  duties(filter: DeadlineListFilter, page: { after?: KeysetPosition; limit: number }): Promise<CaseDeadlineEntity[]> {
    const builder = this.dataSource.manager
      .createQueryBuilder(CaseDeadlineEntity, 'd')
      .where('d.status = :status', { status: filter.status })
      .andWhere('d.kind IN (:...kinds)', { kinds: [...DUTY_KINDS] });
    if (filter.dueAfter) builder.andWhere('d.dueAt > :dueAfter', { dueAfter: filter.dueAfter });
    if (filter.dueBy) builder.andWhere('d.dueAt <= :dueBy', { dueBy: filter.dueBy });
    withinScope(builder, filter.scope, { region: 'd.regionCode', agency: 'd.agencyId' });
    if (filter.regionPrefix) builder.andWhere('d.regionCode LIKE :region', { region: `${filter.regionPrefix}%` });
    if (filter.agencyId) builder.andWhere('d.agencyId = :agencyId', { agencyId: filter.agencyId });
    return applyKeyset(builder, { at: 'd.dueAt', id: 'd.id', order: 'ASC' }, page).getMany();
  }
}
