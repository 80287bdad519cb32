import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { KnownCaseEntity } from './known-case.entity';

/** The cases as CaseOpened announced them (known_cases). */
@Injectable()
export class KnownCaseRepository {
  /** Keeps the case as announced; a redelivery overwrites it with the same values. */
  async register(manager: EntityManager, known: KnownCaseEntity): Promise<void> {
    await manager.upsert(KnownCaseEntity, known, ['id']);
  }

  byId(manager: EntityManager, caseId: string): Promise<KnownCaseEntity | null> {
    return manager.findOne(KnownCaseEntity, { where: { id: caseId } });
  }
}
