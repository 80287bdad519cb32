import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { buildDataSourceOptions, migrateUnderLock, openDatabase } from './data-source.factory';

/** A slow migration that fails when it runs twice: what two replicas starting together would do without the lock. */
class SlowLedger1700000000101 implements MigrationInterface {
  name = 'SlowLedger1700000000101';
  static runs = 0;

  async up(queryRunner: QueryRunner): Promise<void> {
    SlowLedger1700000000101.runs += 1;
    await queryRunner.query('SELECT SLEEP(0.5)');
    // No IF NOT EXISTS: a second run of the same migration fails here, as a real schema change would.
    await queryRunner.query('CREATE TABLE ledger (id INT PRIMARY KEY)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE ledger');
  }
}

describe('migrations of replicas that start together (MariaDB)', () => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase('persistence_migration_lock');
    SlowLedger1700000000101.runs = 0;
  });

  afterEach(async () => {
    await database?.drop();
  });

  const options = () => ({ url: database.url, sqliteFile: ':memory:', entities: [], migrations: [SlowLedger1700000000101] });

  it('runs each migration once: the second replica waits for the first and finds nothing left to run', async () => {
    const replicas = await Promise.all([openDatabase(options()), openDatabase(options()), openDatabase(options())]);
    try {
      expect(SlowLedger1700000000101.runs).toBe(1);
      const applied = (await replicas[0].query('SELECT name FROM schema_migrations')) as Array<{ name: string }>;
      expect(applied.map((row) => row.name)).toEqual(['SlowLedger1700000000101']);
    } finally {
      await Promise.all(replicas.map((replica) => replica.destroy()));
    }
  });

  it('gives up starting, with a reason, when another replica holds the lock longer than it waits', async () => {
    const holder = new DataSource(buildDataSourceOptions(options()));
    const waiter = new DataSource(buildDataSourceOptions(options()));
    await holder.initialize();
    await waiter.initialize();
    try {
      const name = database.name;
      const runner = holder.createQueryRunner();
      await runner.connect();
      await runner.query('SELECT GET_LOCK(?, 0)', [`migrations:${name}`.slice(0, 64)]);
      await expect(migrateUnderLock(waiter, 1)).rejects.toThrow(`database ${name}: another replica has been migrating it for 1 s`);
      expect(SlowLedger1700000000101.runs).toBe(0);
      // A replica killed mid-way frees the lock with its connection: the waiter then migrates.
      await holder.destroy();
      await migrateUnderLock(waiter, 5);
      expect(SlowLedger1700000000101.runs).toBe(1);
    } finally {
      if (holder.isInitialized) await holder.destroy();
      await waiter.destroy();
    }
  });
});
