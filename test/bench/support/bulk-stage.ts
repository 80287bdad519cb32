import { stageEvent, type Emit } from '@enforcement/events';
import { EntityManager, type DataSource, type QueryRunner } from 'typeorm';

/** One INSERT stageEvent() sent: its SQL (with a placeholder per column) and the values. */
interface CapturedInsert {
  sql: string;
  values: unknown[];
}

const OUTBOX_INSERT = /^INSERT INTO `outbox_events` \([^)]+\) VALUES (\((?:\?, )*\?\))$/;

/**
 * Receives stageEvent()'s statements instead of sending them, through a query runner of its own (stageEvent writes
 * one plain INSERT through the transaction's runner), so the rows can go out many per statement.
 */
class CapturingManager extends EntityManager {
  readonly inserts: CapturedInsert[] = [];

  constructor(dataSource: DataSource) {
    const runner = {
      isReleased: false,
      query: async (sql: string, values: unknown[] = []) => {
        // Anything else means stageEvent changed shape; staging must then be revisited, not guessed at.
        if (!OUTBOX_INSERT.test(sql)) throw new Error(`stageEvent sent something other than one outbox INSERT: ${sql}`);
        this.inserts.push({ sql, values });
        return { records: [], affected: 1 };
      },
    };
    super(dataSource, runner as unknown as QueryRunner);
  }
}

/**
 * Commits, in one transaction, the outbox rows the real stageEvent() makes for what `work` emits,
 * but many rows per INSERT. One INSERT per event
 * (what a service does) costs about 4 s per 5,000 events on 2 cores, which would leave room for only
 * a handful of rounds; the rows themselves are identical, so the relay sees what services write.
 */
export async function bulkStage(dataSource: DataSource, work: (emit: Emit) => Promise<void>, rowsPerInsert = 1000): Promise<void> {
  const capturing = new CapturingManager(dataSource);
  let emitted = 0;
  await work((definition, payload, options) => {
    emitted++;
    return stageEvent(capturing, definition, payload, options);
  });
  // A stageEvent that wrote some other way would have gone to the database one autocommit row at a time,
  // unnoticed but for the time it takes: every event must have been captured.
  if (capturing.inserts.length !== emitted) {
    throw new Error(`bulkStage captured ${capturing.inserts.length} outbox rows for ${emitted} events: stageEvent changed how it writes`);
  }
  const [first] = capturing.inserts;
  if (!first) return;
  if (capturing.inserts.some((insert) => insert.sql !== first.sql)) throw new Error('stageEvent wrote outbox rows with different columns');
  const row = OUTBOX_INSERT.exec(first.sql)?.[1] ?? '';
  await dataSource.transaction(async (manager) => {
    for (let start = 0; start < capturing.inserts.length; start += rowsPerInsert) {
      const chunk = capturing.inserts.slice(start, start + rowsPerInsert);
      await manager.query(
        first.sql + `, ${row}`.repeat(chunk.length - 1),
        chunk.flatMap((insert) => insert.values),
      );
    }
  });
}
