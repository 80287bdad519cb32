import { FieldCipher, FieldDecryptionError } from './field-cipher';

/**
 * What a rotation needs of a database: parameterised SQL with `?` placeholders, as TypeORM's DataSource.query
 * takes on MySQL/MariaDB and SQLite. Identifiers are quoted with backticks, which both dialects accept.
 */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** A column the service encrypts with FieldCipher, and the blind index it may keep beside it. */
export interface EncryptedColumn {
  column: string;
  /** The context the service encrypts this column's value with, from the row's primary key. */
  context(rowId: string): string;
  blindIndex?: {
    column: string;
    purpose: string;
    /** The normalisation the service applies before indexing (e.g. upper case). */
    normalize?(plaintext: string): string;
  };
}

/** A table with encrypted columns, walked in primary-key order. */
export interface EncryptedTable {
  table: string;
  /** A string primary key (ids are UUIDs here). */
  primaryKey: string;
  columns: readonly EncryptedColumn[];
}

export interface TableRotationReport {
  table: string;
  /** Rows read. */
  rows: number;
  /** Rows written: a value moved to the current key or a blind index recomputed. */
  rewritten: number;
  /** Values moved from a previous key to the current one. */
  reencrypted: number;
  /** Blind indexes recomputed under the current key. */
  reindexed: number;
  /** Rows with a value no configured key decrypts (ids only, never values): the rotation cannot finish. */
  failed: string[];
  /** The last primary key reached, to resume after with `after`. */
  lastRowId?: string;
}

export interface RotationOptions {
  /** Rows read and written per batch. */
  batchSize?: number;
  /** Resume after this primary key (of the first table given). */
  after?: string;
  /** Called after every batch, e.g. to print progress. */
  onBatch?(progress: TableRotationReport): void;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Re-encrypts every value of the given columns that a previous key encrypted, and recomputes their blind
 * indexes, under the cipher's current key. Idempotent: a value under the current key with its current index
 * is left alone, so running it again (after a crash, or to check) only reads. Resumable: it walks each table
 * in primary-key order a batch at a time, and `after` starts past a given key.
 *
 * A row is written with a guard on the values it read, so a concurrent change of that row by the running
 * service is never overwritten (that write is under the current key already).
 */
export async function rotateFieldKey(
  db: SqlRunner,
  cipher: FieldCipher,
  tables: readonly EncryptedTable[],
  options: RotationOptions = {},
): Promise<TableRotationReport[]> {
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('the batch size must be a positive whole number');
  const reports: TableRotationReport[] = [];
  for (const [position, table] of tables.entries()) {
    reports.push(await rotateTable(db, cipher, table, batchSize, position === 0 ? options.after : undefined, options.onBatch));
  }
  return reports;
}

async function rotateTable(
  db: SqlRunner,
  cipher: FieldCipher,
  table: EncryptedTable,
  batchSize: number,
  after: string | undefined,
  onBatch: RotationOptions['onBatch'],
): Promise<TableRotationReport> {
  const names = [
    table.table,
    table.primaryKey,
    ...table.columns.flatMap((c) => [c.column, ...(c.blindIndex ? [c.blindIndex.column] : [])]),
  ];
  for (const name of names) if (!IDENTIFIER.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  const q = (name: string) => `\`${name}\``;
  const selected = [table.primaryKey, ...table.columns.flatMap((c) => [c.column, ...(c.blindIndex ? [c.blindIndex.column] : [])])];
  const select =
    `SELECT ${selected.map(q).join(', ')} FROM ${q(table.table)} ` +
    `WHERE ${q(table.primaryKey)} > ? ORDER BY ${q(table.primaryKey)} LIMIT ${batchSize}`;
  const report: TableRotationReport = {
    table: table.table,
    rows: 0,
    rewritten: 0,
    reencrypted: 0,
    reindexed: 0,
    failed: [],
    lastRowId: after,
  };
  for (;;) {
    const rows = (await db.query(select, [report.lastRowId ?? ''])) as Record<string, unknown>[];
    if (rows.length === 0) break;
    for (const row of rows) {
      const rowId = String(row[table.primaryKey]);
      report.rows++;
      report.lastRowId = rowId;
      const changes = new Map<string, string>();
      try {
        for (const column of table.columns) {
          const stored = row[column.column];
          if (stored === null || stored === undefined) continue;
          const { plaintext, keyIndex } = cipher.open(String(stored), column.context(rowId));
          if (keyIndex !== 0) {
            changes.set(column.column, cipher.encrypt(plaintext, column.context(rowId)));
            report.reencrypted++;
          }
          if (column.blindIndex) {
            const index = cipher.blindIndex(column.blindIndex.normalize?.(plaintext) ?? plaintext, column.blindIndex.purpose);
            if (row[column.blindIndex.column] !== index) {
              changes.set(column.blindIndex.column, index);
              report.reindexed++;
            }
          }
        }
      } catch (error) {
        if (!(error instanceof FieldDecryptionError)) throw error;
        report.failed.push(rowId);
        continue;
      }
      if (changes.size === 0) continue;
      // Only if the encrypted values are still those read (NULL compared with IS NULL, in both dialects).
      const guards = table.columns.map((c) =>
        row[c.column] === null || row[c.column] === undefined ? { column: c.column } : { column: c.column, value: row[c.column] },
      );
      await db.query(
        // eslint-disable-next-line no-restricted-syntax -- table and column names from the rotation's own list; the values are bound
        `UPDATE ${q(table.table)} SET ${[...changes.keys()].map((name) => `${q(name)} = ?`).join(', ')} ` +
          `WHERE ${q(table.primaryKey)} = ? AND ${guards.map((g) => ('value' in g ? `${q(g.column)} = ?` : `${q(g.column)} IS NULL`)).join(' AND ')}`,
        [...changes.values(), rowId, ...guards.flatMap((g) => ('value' in g ? [g.value] : []))],
      );
      report.rewritten++;
    }
    onBatch?.({ ...report, failed: [...report.failed] });
    if (rows.length < batchSize) break;
  }
  return report;
}

/** A few lines for an operator: counts and ids, never a value or a key. */
export function formatRotationReport(reports: readonly TableRotationReport[], cipher: FieldCipher): string {
  const lines = [`field key rotation: current key and ${cipher.previousKeyCount} previous key(s) configured`];
  for (const r of reports) {
    lines.push(
      `  ${r.table}: ${r.rows} row(s) read, ${r.rewritten} rewritten (${r.reencrypted} value(s) re-encrypted, ${r.reindexed} index(es) recomputed)` +
        (r.failed.length > 0 ? `, ${r.failed.length} undecryptable with the configured keys: ${r.failed.join(', ')}` : ''),
    );
  }
  const failed = reports.some((r) => r.failed.length > 0);
  lines.push(
    failed
      ? 'NOT DONE: some values are under a key that is not configured; add it to FIELD_ENCRYPTION_PREVIOUS_KEYS and run again'
      : cipher.previousKeyCount > 0
        ? 'done: every value is under the current key; the previous keys may be removed'
        : 'done: every value is under the current key',
  );
  return `${lines.join('\n')}\n`;
}
