import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { PartyKind } from '../case-core/case.types';
import { chainedContentOf } from '../case-core/hash-chain';
import { CaseEntity } from '../cases/case.entity';
import { EvidenceItemEntity } from '../evidence/evidence-item.entity';
import { CaseRecordEntity } from '../records/case-record.entity';
import type { ChainRecord } from './chain-verifier';

/** A stored record as the verifier sees it: its content rebuilt from the row exactly as the appender hashed it. */
export function chainRecordOf(row: CaseRecordEntity): ChainRecord {
  return { id: row.id, hash: row.hash, content: chainedContentOf(row) };
}

/**
 * Loads a case's records for verification, in sequence order, tolerating rows someone edited by hand.
 *
 * Entity hydration would throw on the first column that no longer parses (JSON cut short in an editor, a
 * date that is not one) and turn a detected tampering into a 500. Here each column is converted by the
 * driver's own hydration, one at a time, and a row that does not convert becomes an unreadable record,
 * which the verifier reports as a content-hash mismatch at its place in the chain.
 */
async function loadChainRecords(manager: EntityManager, caseId: string): Promise<ChainRecord[]> {
  const metadata = manager.connection.getMetadata(CaseRecordEntity);
  const driver = manager.connection.driver;
  const table = driver.escape(metadata.tableName);
  const rows: Array<Record<string, unknown>> = await manager.query(
    // eslint-disable-next-line no-restricted-syntax -- the entity's own table name; the case id is bound
    `SELECT * FROM ${table} WHERE ${driver.escape('case_id')} = ? ORDER BY ${driver.escape('sequence')} ASC`,
    [caseId],
  );
  return rows.map((raw) => {
    const row: Record<string, unknown> = {};
    const failures: string[] = [];
    for (const column of metadata.columns) {
      try {
        row[column.propertyName] = driver.prepareHydratedValue(raw[column.databaseName], column);
      } catch {
        failures.push(column.databaseName);
      }
    }
    const id = String(raw['id']);
    const hash = String(raw['hash']);
    const sequence = Number(raw['sequence']);
    if (failures.length > 0) return { id, hash, sequence, unreadable: `unreadable column ${failures.join(', ')}` };
    try {
      // The row converted column by column into exactly the entity's shape.
      return chainRecordOf(row as unknown as CaseRecordEntity);
    } catch {
      // e.g. an invalid date: toISOString() refuses it.
      return { id, hash, sequence, unreadable: 'content cannot be rebuilt' };
    }
  });
}

/** What a case is verified against: its row, its records as stored, its sealed evidence, read in one snapshot. */
export interface ChainSnapshot {
  found: CaseEntity;
  /** The party's kind, which a notice recorded before its hearing right was derived is judged by. */
  partyKind: PartyKind;
  records: ChainRecord[];
  evidence: EvidenceItemEntity[];
}

/** Reads a case's chain for verification, in TypeORM. */
@Injectable()
export class ChainSnapshotRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * One transaction gives one snapshot (InnoDB repeatable read, SQLite WAL read): a record appended while we read
   * must not look like a case row that disagrees with its records. Undefined if there is no such case.
   */
  snapshot(caseId: string): Promise<ChainSnapshot | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const found = await manager.findOneBy(CaseEntity, { id: caseId });
      if (!found) return undefined;
      const records = await loadChainRecords(manager, caseId);
      const evidence = await manager.find(EvidenceItemEntity, { where: { caseId }, order: { sealedAt: 'ASC', id: 'ASC' } });
      // The party's kind by SQL: the verify CLI and the archive's test service map no party entity.
      const [party] = (await manager.query(`SELECT kind FROM case_parties WHERE case_id = ?`, [caseId])) as Array<{ kind: PartyKind }>;
      return { found, partyKind: found.procedureState?.partyKind ?? party?.kind ?? 'organisation', records, evidence };
    });
  }
}
