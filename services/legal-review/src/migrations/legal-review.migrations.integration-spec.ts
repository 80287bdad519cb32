import { openDatabase } from '@enforcement/persistence';
import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import type { DataSource } from 'typeorm';
import { LegalReview1763800001000 } from './1763800001000-legal-review';
import { KnownAgencies1763800002000 } from './1763800002000-known-agencies';
import { KnownCasesAndDemands1763800003000 } from './1763800003000-known-cases-and-demands';

const TABLES = ['catalog_versions', 'benchmark_entries', 'reviews', 'review_rounds', 'known_agencies', 'known_cases', 'review_demands'];

/** The legal-review migrations on MariaDB: up creates the tables with their named indexes, down removes them, up again works. */
describe('legal-review migrations 1763800001000, 1763800002000 and 1763800003000', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const tables = async (): Promise<string[]> =>
    (
      (await dataSource.query('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()')) as Array<{
        name: string;
      }>
    )
      .map((row) => row.name)
      .filter((name) => TABLES.includes(name))
      .sort();

  beforeAll(async () => {
    database = await createTestDatabase('legal_review_migrations');
    dataSource = await openDatabase({
      url: database.url,
      sqliteFile: ':memory:',
      entities: [],
      migrations: [LegalReview1763800001000, KnownAgencies1763800002000, KnownCasesAndDemands1763800003000],
    });
  }, 60_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('creates the tables with their unique indexes, takes them away on the way down, and comes up again', async () => {
    expect(await tables()).toEqual([...TABLES].sort());
    const indexes = (await dataSource.query(
      "SELECT DISTINCT index_name AS name FROM information_schema.statistics WHERE table_schema = DATABASE() AND non_unique = 0 AND index_name <> 'PRIMARY'",
    )) as Array<{ name: string }>;
    expect(indexes.map((row) => row.name).sort()).toEqual([
      'uq_benchmark_entries_agency_violation',
      'uq_catalog_versions_agency_version',
      'uq_review_rounds_review_number',
      'uq_reviews_case_id',
    ]);
    await dataSource.undoLastMigration();
    expect(await tables()).toEqual(TABLES.filter((name) => name !== 'known_cases' && name !== 'review_demands').sort());
    await dataSource.undoLastMigration();
    expect(await tables()).toEqual(['benchmark_entries', 'catalog_versions', 'review_rounds', 'reviews']);
    await dataSource.undoLastMigration();
    expect(await tables()).toEqual([]);
    await dataSource.runMigrations();
    expect(await tables()).toEqual([...TABLES].sort());
  });
});
