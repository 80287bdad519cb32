import { QueryResult, type DataSource, type EntityManager, type QueryRunner } from 'typeorm';

/**
 * A transaction on MariaDB whose writes that need no answer ride with the next statement. START TRANSACTION
 * waits for the first statement; a statement staged with `deferStatement` waits for the next statement of the
 * transaction, or for COMMIT; each wait ends in one multi-statement round trip. A recorded step's statements so
 * cost one round trip (START, the spent proof, the case's chain head, the record, the outbox row, COMMIT), and
 * every round trip costs the service a socket write, a read and the driver's bookkeeping. Reads still see every
 * write before them: a statement never overtakes one that waits.
 *
 * A statement that waited and fails makes the statement it rode with fail (MariaDB runs none after it), and the
 * transaction rolls back as before. A statement whose failure means something to its caller (a spent proof's
 * duplicate key, a record's sequence taken meanwhile) waits with a `failure` that recognises its own error and
 * turns it into the caller's: thrown by whichever statement it rode with, so the caller's refusal still ends the
 * transaction. Other statements may wait only when nothing but an outage or a bug can fail them.
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

/** Recognises a waiting statement's own error and says what to throw instead; undefined for any other error. */
export type DeferredFailure = (error: unknown) => Error | undefined;

/**
 * Stages a statement to run with the transaction's next one, when `manager` is a batched transaction's; returns
 * false (the caller runs it now) otherwise. `values` are bound now, as the driver would bind them.
 */
export function deferStatement(manager: EntityManager, sql: string, values: readonly unknown[], failure?: DeferredFailure): boolean {
  const runner = manager.queryRunner;
  const waiting = runner && !runner.isReleased ? held.get(runner) : undefined;
  if (!waiting || !runner) return false;
  waiting.push({ sql: connectionOf(runner).format(sql, values), failure });
  return true;
}

/** MariaDB through a pool that takes several statements in one query (as buildDataSourceOptions opens it unless DATABASE_BATCH_STATEMENTS=false). */
function batches(dataSource: DataSource): boolean {
  const { options } = dataSource;
  return (options.type === 'mysql' || options.type === 'mariadb') && options.multipleStatements === true;
}

const START = 'START TRANSACTION';
interface Waiting {
  sql: string;
  failure?: DeferredFailure;
}

/** The statements each batched transaction holds back, in order. */
const held = new WeakMap<QueryRunner, Waiting[]>();

interface MysqlConnection {
  format(sql: string, values: readonly unknown[]): string;
}

function connectionOf(runner: QueryRunner): MysqlConnection {
  return (runner as unknown as { databaseConnection: MysqlConnection }).databaseConnection;
}

function holdWrites(runner: QueryRunner): void {
  const waiting: Waiting[] = [];
  held.set(runner, waiting);
  const query = runner.query.bind(runner) as (sql: string, parameters?: unknown[], structured?: boolean) => Promise<unknown>;
  const replacement = async (sql: string, parameters?: unknown[], structured = false): Promise<unknown> => {
    if (sql === START && waiting.length === 0) {
      waiting.push({ sql });
      return structured ? new QueryResult() : undefined;
    }
    if (sql === 'ROLLBACK') {
      // What waits was never sent; nothing at all was, if START TRANSACTION still waits too.
      const nothingSent = waiting[0]?.sql === START;
      waiting.length = 0;
      if (nothingSent) return structured ? new QueryResult() : undefined;
    }
    if (waiting.length === 0) return query(sql, parameters, structured);
    const carried = waiting.splice(0, waiting.length);
    const batch = [...carried.map((statement) => statement.sql), connectionOf(runner).format(sql, parameters ?? [])].join(';\n');
    let results: unknown[];
    try {
      results = (await query(batch, undefined, false)) as unknown[];
    } catch (error) {
      throw failureOf(carried, error);
    }
    return lastOf(results, structured);
  };
  runner.query = replacement as QueryRunner['query'];
}

/** The error of a batch as the waiting statement that caused it says it, else as it is. */
function failureOf(carried: readonly Waiting[], error: unknown): unknown {
  for (const { failure } of carried) {
    const own = failure?.(error);
    if (own) return own;
  }
  return error;
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
