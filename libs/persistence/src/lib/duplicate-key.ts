const DUPLICATE_KEY_CODES = new Set(['ER_DUP_ENTRY', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

/**
 * A unique key refused a row (MariaDB's ER_DUP_ENTRY, SQLite's constraint codes), as TypeORM's QueryFailedError
 * or the driver's own error. With `naming`, only when the database's message names it too: MariaDB's names the
 * duplicate value and the key ("Duplicate entry 'v' for key 'k'"). That tells which of several statements sent
 * together failed (batchedTransaction, MariaDB only).
 */
export function isDuplicateKeyError(error: unknown, naming?: string): boolean {
  if (error === null || typeof error !== 'object') return false;
  const { driverError } = error as { driverError?: unknown };
  const source = (driverError ?? error) as { code?: unknown; message?: unknown };
  if (typeof source.code !== 'string' || !DUPLICATE_KEY_CODES.has(source.code)) return false;
  return naming === undefined || String(source.message).includes(naming);
}
