import type { QueryRunner, TableColumnOptions } from 'typeorm';

/**
 * Column shapes that mean the same on MySQL/MariaDB and SQLite, so one migration serves both dialects.
 * Timestamps are UTC with millisecond precision.
 */
export function columnsFor(queryRunner: QueryRunner) {
  const mysql = queryRunner.connection.options.type !== 'better-sqlite3';
  return {
    mysql,
    id: (name = 'id'): TableColumnOptions => ({ name, type: 'varchar', length: '36', isPrimary: true }),
    autoId: (name = 'id'): TableColumnOptions =>
      mysql
        ? { name, type: 'bigint', isPrimary: true, isGenerated: true, generationStrategy: 'increment', unsigned: true }
        : { name, type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
    string: (name: string, length = 255, nullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable: nullable,
    }),
    text: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: mysql ? 'mediumtext' : 'text',
      isNullable: nullable,
    }),
    int: (name: string, defaultValue?: number): TableColumnOptions => ({
      name,
      type: 'int',
      isNullable: false,
      ...(defaultValue === undefined ? {} : { default: defaultValue }),
    }),
    bigint: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable }),
    boolean: (name: string, defaultValue = false): TableColumnOptions => ({
      name,
      type: mysql ? 'tinyint' : 'boolean',
      isNullable: false,
      default: defaultValue ? 1 : 0,
    }),
    timestamp: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: 'datetime',
      precision: mysql ? 3 : undefined,
      isNullable: nullable,
    }),
    blob: (name: string): TableColumnOptions => ({ name, type: mysql ? 'mediumblob' : 'blob', isNullable: false }),
    json: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: mysql ? 'mediumtext' : 'text',
      isNullable: nullable,
    }),
  };
}
