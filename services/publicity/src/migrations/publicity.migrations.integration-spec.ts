import { openDatabase } from '@enforcement/persistence';
import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import type { DataSource } from 'typeorm';
import { Publicity1764000001000 } from './1764000001000-publicity';
import { SearchAndRoots1764000002000 } from './1764000002000-search-and-roots';
import { AgencyDisclosures1764000003000 } from './1764000003000-agency-disclosures';
import { AgencyPublicitySettings1764000004000 } from './1764000004000-agency-publicity-settings';

const FIRST = ['disclosures', 'disclosure_history', 'public_agencies'];
const SECOND = [...FIRST, 'disclosure_search_terms', 'daily_roots', 'daily_root_leaves'];
const THIRD = [...SECOND, 'agency_disclosures'];
const TABLES = [...THIRD, 'agency_publicity_settings'];

/** The publicity migrations on MariaDB: up creates the tables with their named indexes, down removes them, up again works. */
describe('publicity migrations', () => {
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
    database = await createTestDatabase('publicity_migrations');
    dataSource = await openDatabase({
      url: database.url,
      sqliteFile: ':memory:',
      entities: [],
      migrations: [
        Publicity1764000001000,
        SearchAndRoots1764000002000,
        AgencyDisclosures1764000003000,
        AgencyPublicitySettings1764000004000,
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('creates the tables with their indexes, takes them away on the way down, and comes up again', async () => {
    expect(await tables()).toEqual([...TABLES].sort());
    const indexes = (await dataSource.query(
      "SELECT DISTINCT index_name AS name FROM information_schema.statistics WHERE table_schema = DATABASE() AND index_name <> 'PRIMARY' AND table_name LIKE 'disclosure%'",
    )) as Array<{ name: string }>;
    expect(indexes.map((row) => row.name).sort()).toEqual([
      'ix_disclosure_history_disclosure',
      'ix_disclosures_agency_status',
      'ix_disclosures_public',
      'ix_disclosures_published_at',
      'ix_disclosures_status_due',
      'uq_disclosures_case_decision',
    ]);
    await dataSource.undoLastMigration();
    expect(await tables()).toEqual([...THIRD].sort());
    await dataSource.undoLastMigration();
    expect(await tables()).toEqual([...SECOND].sort());
    await dataSource.undoLastMigration();
    expect(await tables()).toEqual([...FIRST].sort());
    const columns = (await dataSource.query(
      "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'disclosures' AND column_name = 'search_text'",
    )) as unknown[];
    expect(columns).toEqual([]);
    await dataSource.undoLastMigration();
    expect(await tables()).toEqual([]);
    await dataSource.runMigrations();
    expect(await tables()).toEqual([...TABLES].sort());
  });
});
