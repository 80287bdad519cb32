import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import type { TransactionScope } from '../case-core/ports';
import { managerOf } from '../cases/case.repository';
import { EvidenceItemEntity } from './evidence-item.entity';

/** Sealed evidence items (evidence_items), as the other features read them. */
@Injectable()
export class EvidenceItemRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The items of the case among `ids` (fewer than asked when some are not the case's). */
  async ofCase(caseId: string, ids: readonly string[], tx?: TransactionScope): Promise<EvidenceItemEntity[]> {
    if (ids.length === 0) return [];
    return managerOf(this.dataSource, tx).findBy(EvidenceItemEntity, { id: In([...ids]), caseId });
  }
}
