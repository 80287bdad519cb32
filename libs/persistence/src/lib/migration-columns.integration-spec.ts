import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import { Table, type DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { openDatabase } from './data-source.factory';
import { columnsFor } from './migration-columns';

class Sample1700000000000 implements MigrationInterface {
  name = 'Sample1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'sample',
        columns: [c.id(), c.timestamp('at'), c.text('note'), c.blob('bytes'), c.boolean('flag'), c.json('tags')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('sample');
  }
}

/** One migration, both dialects: what goes in comes back the same, timestamps to the millisecond in UTC. */
describe('cross-dialect migration columns', () => {
  let mariadb: TestDatabase;

  beforeAll(async () => {
    mariadb = await createTestDatabase('persistence_columns');
  });

  afterAll(() => mariadb?.drop());

  const at = new Date('2026-11-21T15:59:59.123Z');
  // Raw queries bind what the driver takes: mysql2 a Date, better-sqlite3 only strings (TypeORM entities convert).
  const roundTrip = async (dataSource: DataSource, boundAt: Date | string) => {
    const bytes = Buffer.from([0, 1, 2, 255]);
    await dataSource.query('INSERT INTO sample (id, at, note, bytes, flag, tags) VALUES (?, ?, ?, ?, ?, ?)', [
      'id-1',
      boundAt,
      '行政处罚决定书',
      bytes,
      1,
      '["a"]',
    ]);
    const [row] = await dataSource.query('SELECT at, note, bytes FROM sample');
    return { row, bytes };
  };

  it('keeps milliseconds, UTC, Chinese text and binary on MariaDB, and the migration can be reverted', async () => {
    const dataSource = await openDatabase({ url: mariadb.url, sqliteFile: '', entities: [], migrations: [Sample1700000000000] });
    try {
      const { row, bytes } = await roundTrip(dataSource, at);
      expect(new Date(row.at).toISOString()).toBe(at.toISOString());
      expect(row.note).toBe('行政处罚决定书');
      expect(Buffer.from(row.bytes).equals(bytes)).toBe(true);
      const [column] = await dataSource.query(
        "SELECT DATETIME_PRECISION AS p FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'sample' AND column_name = 'at'",
      );
      expect(Number(column.p)).toBe(3);

      await dataSource.undoLastMigration();
      expect(await dataSource.createQueryRunner().hasTable('sample')).toBe(false);
    } finally {
      await dataSource.destroy();
    }
  });

  it('keeps the same values on SQLite', async () => {
    const dataSource = await openDatabase({ sqliteFile: ':memory:', entities: [], migrations: [Sample1700000000000] });
    try {
      const { row, bytes } = await roundTrip(dataSource, at.toISOString());
      expect(row.note).toBe('行政处罚决定书');
      expect(Buffer.from(row.bytes).equals(bytes)).toBe(true);
    } finally {
      await dataSource.destroy();
    }
  });
});
