import type { DataSource, EntityManager, EntityMetadata, EntityTarget, ObjectLiteral, QueryResult } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { deferStatement, type DeferredFailure } from './batched-transaction';

/** Property values to match (equality, joined by AND) or to write, by the entity's property names. */
export type RowValues<T> = { readonly [K in keyof T]?: T[K] };

/**
 * One entity's rows read and written by plain SQL made once from its TypeORM mapping, with the driver's own
 * conversions of every value (dates, JSON, booleans, transformers), on MariaDB and SQLite alike. For the few
 * statements on a hot path: building a statement with TypeORM's query builder and hydrating its result cost
 * more CPU than the database spent on it. Columns come from the mapping, so a new column needs no change
 * here; columns mapped `select: false` are never read.
 */
export class EntityRows<T extends ObjectLiteral> {
  private mapping?: {
    metadata: EntityMetadata;
    readable: ColumnMetadata[];
    byProperty: Map<string, ColumnMetadata>;
    table: string;
    selectList: string;
  };
  private readonly statements = new Map<string, string>();

  /** Reads nothing until first used: repositories are built before the data source has its metadata (and in specs, without one). */
  constructor(
    private readonly dataSource: DataSource,
    private readonly target: EntityTarget<T>,
  ) {}

  private get metadata(): EntityMetadata {
    return this.mapped().metadata;
  }

  private mapped() {
    if (!this.mapping) {
      const metadata = this.dataSource.getMetadata(this.target);
      const readable = metadata.columns.filter((column) => column.isSelect);
      this.mapping = {
        metadata,
        readable,
        byProperty: new Map(metadata.columns.map((column) => [column.propertyName, column])),
        table: quoted(metadata.tableName),
        selectList: readable.map((column) => quoted(column.databaseName)).join(', '),
      };
    }
    return this.mapping;
  }

  async findBy(manager: EntityManager, where: RowValues<T>): Promise<T[]> {
    const [conditions, values] = this.conditions(where);
    const { selectList, table } = this.mapped();
    const sql = this.statement(`select:${conditions}`, () => `SELECT ${selectList} FROM ${table} WHERE ${conditions}`);
    const result = await runQuery(manager, sql, values);
    return (result.records as Array<Record<string, unknown>>).map((row) => this.hydrate(row));
  }

  async findOneBy(manager: EntityManager, where: RowValues<T>): Promise<T | undefined> {
    return (await this.findBy(manager, where))[0];
  }

  /** Inserts one row; properties left undefined take the column's database default. */
  async insert(manager: EntityManager, entity: RowValues<T>): Promise<void> {
    await runQuery(manager, ...this.insertStatement(entity));
  }

  /**
   * Inserts one row with the transaction's next statement when `manager` is a batched transaction's (see
   * batchedTransaction), else at once. A failure shows at that next statement: `failure` turns this insert's own
   * error into the caller's, whenever it shows; without it, only for a row nothing but an outage or a bug can fail.
   */
  async insertLater(manager: EntityManager, entity: RowValues<T>, failure?: DeferredFailure): Promise<void> {
    const [sql, values] = this.insertStatement(entity);
    if (!deferStatement(manager, sql, values, failure)) await runNow(manager, sql, values, failure);
  }

  private insertStatement(entity: RowValues<T>): [string, unknown[]] {
    const columns = this.present(entity);
    const sql = this.statement(`insert:${columns.map((column) => column.propertyName).join(',')}`, () => {
      const names = columns.map((column) => quoted(column.databaseName)).join(', ');
      return `INSERT INTO ${this.mapped().table} (${names}) VALUES (${columns.map(() => '?').join(', ')})`;
    });
    return [sql, columns.map((column) => this.persistent(column, entity))];
  }

  /** Sets `changes` on the rows matching `where`; returns how many rows matched (0 for a lost conditional update). */
  async update(manager: EntityManager, where: RowValues<T>, changes: RowValues<T>): Promise<number> {
    const result = await runQuery(manager, ...this.updateStatement(where, changes));
    return result.affected ?? 0;
  }

  /**
   * Like update, but with the transaction's next statement when `manager` is a batched transaction's: undefined
   * then, since nobody learns how many rows it matched. Only for an update whose miss something else reveals
   * (a later insert's unique key).
   */
  async updateLater(manager: EntityManager, where: RowValues<T>, changes: RowValues<T>): Promise<number | undefined> {
    const [sql, values] = this.updateStatement(where, changes);
    if (deferStatement(manager, sql, values)) return undefined;
    return (await runQuery(manager, sql, values)).affected ?? 0;
  }

  private updateStatement(where: RowValues<T>, changes: RowValues<T>): [string, unknown[]] {
    const columns = this.present(changes);
    if (columns.length === 0) throw new Error(`an update of ${this.metadata.tableName} without values`);
    const [conditions, values] = this.conditions(where);
    const assignments = columns.map((column) => `${quoted(column.databaseName)} = ?`).join(', ');
    const sql = this.statement(
      `update:${assignments}:${conditions}`,
      () => `UPDATE ${this.mapped().table} SET ${assignments} WHERE ${conditions}`,
    );
    return [sql, [...columns.map((column) => this.persistent(column, changes)), ...values]];
  }

  private hydrate(row: Record<string, unknown>): T {
    const entity = this.metadata.create(undefined, { fromDeserializer: true }) as T;
    const driver = this.dataSource.driver;
    for (const column of this.mapped().readable) {
      (entity as Record<string, unknown>)[column.propertyName] = driver.prepareHydratedValue(row[column.databaseName], column);
    }
    return entity;
  }

  private conditions(where: RowValues<T>): [string, unknown[]] {
    const columns = this.present(where);
    if (columns.length === 0) throw new Error(`a statement on ${this.metadata.tableName} without conditions`);
    // `column = NULL` matches nothing in SQL: a caller passing null meant IS NULL, which this does not do.
    const empty = columns.find((column) => (where as Record<string, unknown>)[column.propertyName] === null);
    if (empty) throw new Error(`a condition on ${this.metadata.tableName}.${empty.propertyName} = null never matches`);
    return [
      columns.map((column) => `${quoted(column.databaseName)} = ?`).join(' AND '),
      columns.map((column) => this.persistent(column, where)),
    ];
  }

  private present(values: RowValues<T>): ColumnMetadata[] {
    return Object.keys(values)
      .filter((property) => (values as Record<string, unknown>)[property] !== undefined)
      .map((property) => {
        const column = this.mapped().byProperty.get(property);
        if (!column) throw new Error(`${this.metadata.tableName} maps no column to the property ${property}`);
        return column;
      });
  }

  private persistent(column: ColumnMetadata, values: RowValues<T>): unknown {
    return this.dataSource.driver.preparePersistentValue((values as Record<string, unknown>)[column.propertyName], column);
  }

  private statement(key: string, make: () => string): string {
    let sql = this.statements.get(key);
    if (sql === undefined) {
      sql = make();
      this.statements.set(key, sql);
    }
    return sql;
  }
}

/** Backticks quote identifiers in MariaDB and SQLite alike; mapped names never contain one. */
function quoted(identifier: string): string {
  return `\`${identifier}\``;
}

/** runQuery, with the statement's own error turned into the caller's as `failure` says. */
async function runNow(manager: EntityManager, sql: string, values: unknown[], failure?: DeferredFailure): Promise<void> {
  try {
    await runQuery(manager, sql, values);
  } catch (error) {
    throw failure?.(error) ?? error;
  }
}

/** Runs on the manager's transaction if it has one (rows and counts in one shape for both drivers), else on the pool. */
async function runQuery(manager: EntityManager, sql: string, values: unknown[]): Promise<QueryResult> {
  if (manager.queryRunner && !manager.queryRunner.isReleased) return manager.queryRunner.query(sql, values, true);
  const runner = manager.connection.createQueryRunner();
  try {
    return await runner.query(sql, values, true);
  } finally {
    await runner.release();
  }
}
