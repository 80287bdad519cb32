import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import type { TransactionScope } from '../case-core/ports';
import { managerOf } from '../cases/case.repository';
import { EvidenceItemEntity } from './evidence-item.entity';

/** Sealed evidence items (evidence_items): written once when sealed, never changed or removed. */
@Injectable()
export class EvidenceItemRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The items of the case among `ids` (fewer than asked when some are not the case's). */
  async ofCase(caseId: string, ids: readonly string[], tx?: TransactionScope): Promise<EvidenceItemEntity[]> {
    if (ids.length === 0) return [];
    return managerOf(this.dataSource, tx).findBy(EvidenceItemEntity, { id: In([...ids]), caseId });
  }

  /** Every item of the case, in the order they were sealed. */
  async allOfCase(caseId: string, tx?: TransactionScope): Promise<EvidenceItemEntity[]> {
    return managerOf(this.dataSource, tx).find(EvidenceItemEntity, { where: { caseId }, order: { sealedAt: 'ASC', id: 'ASC' } });
  }

  async find(evidenceId: string): Promise<EvidenceItemEntity | undefined> {
    return (await this.dataSource.manager.findOneBy(EvidenceItemEntity, { id: evidenceId })) ?? undefined;
  }

  async insert(tx: TransactionScope, item: EvidenceItemEntity): Promise<void> {
    await managerOf(this.dataSource, tx).insert(EvidenceItemEntity, item);
  }
}
