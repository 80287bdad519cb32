import { QueryResult, type DataSource, type EntityManager, type QueryRunner } from 'typeorm';

/**
 * A transaction on MariaDB whose writes that need no answer ride with the next statement. START TRANSACTION
 * waits for the first statement; an INSERT staged with `deferStatement` waits for the next statement of the
 * transaction, or for COMMIT; each wait ends in one multi-statement round trip. A recorded step's six statements
 * so cost three round trips, and every round trip costs the service a socket write, a read and the driver's
 * bookkeeping. Reads still see every write before them: a statement never overtakes one that waits.
 *
 * A statement that waited and fails makes the statement it rode with fail, and the transaction rolls back as
 * before. So only rows whose insert can fail for nothing but an outage or a bug may wait (an outbox row under a
 * fresh id; a record whose sequence the case's conditional update has just claimed); an insert whose failure the
 * caller handles (a spent proof's duplicate key) runs at once.
 *
 * On SQLite (the embedded mode) there are no round trips to save, and a pool opened without multipleStatements
 * cannot take a batch: there this is TypeORM's own transaction.
 */
export async function batchedTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (!batches(dataSource)) return dataSource.transaction(work);
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    holdWrites(runner);
    // TypeORM's own transaction (START, the work, COMMIT, or ROLLBACK on failure), on the runner that holds writes.
    return await runner.manager.transaction(work);
  } finally {
    held.delete(runner);
    await runner.release();
  }
}

/**
 * Stages a statement to run with the transaction's next one, when `manager` is a batched transaction's; returns
 * false (the caller runs it now) otherwise. `values` are bound now, as the driver would bind them.
 */
export function deferStatement(manager: EntityManager, sql: string, values: readonly unknown[]): boolean {
  const runner = manager.queryRunner;
  const waiting = runner && !runner.isReleased ? held.get(runner) : undefined;
  if (!waiting || !runner) return false;
  waiting.push(connectionOf(runner).format(sql, values));
  return true;
}

/** MariaDB through a pool that takes several statements in one query (as buildDataSourceOptions opens it unless DATABASE_BATCH_STATEMENTS=false). */
function batches(dataSource: DataSource): boolean {
  const { options } = dataSource;
  return (options.type === 'mysql' || options.type === 'mariadb') && options.multipleStatements === true;
}

const START = 'START TRANSACTION';
/** The statements each batched transaction holds back, in order. */
const held = new WeakMap<QueryRunner, string[]>();

interface MysqlConnection {
  format(sql: string, values: readonly unknown[]): string;
}

function connectionOf(runner: QueryRunner): MysqlConnection {
  return (runner as unknown as { databaseConnection: MysqlConnection }).databaseConnection;
}

function holdWrites(runner: QueryRunner): void {
  const waiting: string[] = [];
  held.set(runner, waiting);
  const query = runner.query.bind(runner) as (sql: string, parameters?: unknown[], structured?: boolean) => Promise<unknown>;
  const replacement = async (sql: string, parameters?: unknown[], structured = false): Promise<unknown> => {
    if (sql === START && waiting.length === 0) {
      waiting.push(sql);
      return structured ? new QueryResult() : undefined;
    }
    if (sql === 'ROLLBACK') {
      // What waits was never sent; nothing at all was, if START TRANSACTION still waits too.
      const nothingSent = waiting[0] === START;
      waiting.length = 0;
      if (nothingSent) return structured ? new QueryResult() : undefined;
    }
    if (waiting.length === 0) return query(sql, parameters, structured);
    const batch = [...waiting, connectionOf(runner).format(sql, parameters ?? [])].join(';\n');
    waiting.length = 0;
    const results = (await query(batch, undefined, false)) as unknown[];
    return lastOf(results, structured);
  };
  runner.query = replacement as QueryRunner['query'];
}

/** The answer to the statement that was asked, out of a multi-statement batch's answers (one per statement). */
function lastOf(results: unknown[], structured: boolean): unknown {
  const last = results[results.length - 1];
  if (!structured) return last;
  const result = new QueryResult();
  result.raw = last;
  if (Array.isArray(last)) result.records = last;
  const affected = (last as { affectedRows?: unknown } | undefined)?.affectedRows;
  if (typeof affected === 'number') result.affected = affected;
  return result;
}
