import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { BenchmarkEntry } from '../review-core/discretion-benchmark';
import { BenchmarkEntryEntity } from './benchmark-entry.entity';

/** The only TypeORM user for the agencies' discretion benchmarks (benchmark_entries). */
@Injectable()
export class BenchmarkEntryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The agency's entries by violation code (at most `limit`). */
  listOf(agencyId: string, limit: number): Promise<BenchmarkEntryEntity[]> {
    return this.dataSource.getRepository(BenchmarkEntryEntity).find({ where: { agencyId }, order: { violationCode: 'ASC' }, take: limit });
  }

  find(agencyId: string, violationCode: string, manager: EntityManager = this.dataSource.manager): Promise<BenchmarkEntryEntity | null> {
    return manager.getRepository(BenchmarkEntryEntity).findOne({ where: { agencyId, violationCode } });
  }

  /**
   * Writes the entry as the agency's next version of it (the first when there is none), under the row lock of
   * the version it replaces so that two administrators saving at once each get a version of their own.
   */
  saveVersion(agencyId: string, entry: BenchmarkEntry, updatedBy: string, updatedAt: Date): Promise<BenchmarkEntryEntity> {
    return this.dataSource.transaction(async (manager) => {
      const held = await manager
        .getRepository(BenchmarkEntryEntity)
        .findOne({ where: { agencyId, violationCode: entry.violationCode }, lock: { mode: 'pessimistic_write' } });
      const row: BenchmarkEntryEntity = {
        id: held?.id ?? randomUUID(),
        agencyId,
        ...entry,
        version: (held?.version ?? 0) + 1,
        updatedBy,
        updatedAt,
      };
      await manager.save(BenchmarkEntryEntity, row);
      return row;
    });
  }

  /** Whether there was an entry to remove. */
  async remove(agencyId: string, violationCode: string): Promise<boolean> {
    const result = await this.dataSource.getRepository(BenchmarkEntryEntity).delete({ agencyId, violationCode });
    return !!result.affected;
  }
}
