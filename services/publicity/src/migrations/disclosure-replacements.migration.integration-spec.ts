import { openDatabase } from '@enforcement/persistence';
import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Publicity1764000001000 } from './1764000001000-publicity';
import { SearchAndRoots1764000002000 } from './1764000002000-search-and-roots';
import { AgencyDisclosures1764000003000 } from './1764000003000-agency-disclosures';
import { AgencyPublicitySettings1764000004000 } from './1764000004000-agency-publicity-settings';
import { DisclosureReplacements1764000005000 } from './1764000005000-disclosure-replacements';

/**
 * Replacements on MariaDB: up lets a changed decision keep its number as the next revision and links it, once; down
 * removes the replacements (they do not fit one disclosure per number) and restores the old constraint.
 */
describe('the disclosure replacements migration', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const caseId = randomUUID();
  const [original, change] = [randomUUID(), randomUUID()];

  /** A disclosure of the case's one decision number; without a revision once the migration is down. */
  const insert = (id: string, revision?: number, replacesId: string | null = null) =>
    dataSource.query(
      `INSERT INTO disclosures (id, case_id, agency_id, region_code, domain, case_number, decision_number, category, status, confidentiality,
         party_kind, penalty_kinds, fine_fen, confiscation_fen, decided_at, due_at, due_coverage, original, redacted, findings, chain_head,
         created_at, updated_at${revision === undefined ? '' : ', revision, replaces_id'})
       VALUES (?, ?, ?, '310101', 'market-regulation', '案1', '罚〔2026〕1号', 'penalty', 'pending-review', 'none', 'organisation', 'fine',
         100, 0, NOW(3), NOW(3), 'official', '', '{}', '{}', '', NOW(3), NOW(3)${revision === undefined ? '' : ', ?, ?'})`,
      [id, caseId, randomUUID(), ...(revision === undefined ? [] : [revision, replacesId])],
    );
  const columns = async () =>
    (
      (await dataSource.query(
        "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'disclosures' AND column_name IN ('revision', 'replaces_id', 'replaced_by_id') ORDER BY column_name",
      )) as Array<{ name: string }>
    ).map((row) => row.name);

  beforeAll(async () => {
    database = await createTestDatabase('publicity_replacements');
    dataSource = await openDatabase({
      url: database.url,
      sqliteFile: ':memory:',
      entities: [],
      migrations: [
        Publicity1764000001000,
        SearchAndRoots1764000002000,
        AgencyDisclosures1764000003000,
        AgencyPublicitySettings1764000004000,
        DisclosureReplacements1764000005000,
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('takes a change under the same number as the next revision, refuses a second of the same revision or of the same decision', async () => {
    await insert(original, 0, null);
    await insert(change, 1, original);

    await expect(insert(randomUUID(), 1)).rejects.toThrow(/for key 'uq_disclosures_case_decision'/);
    await expect(insert(randomUUID(), 2, original)).rejects.toThrow(/for key 'uq_disclosures_replaces'/);
  });

  it('down removes the replacements and the columns and restores one disclosure per number; up again works', async () => {
    await dataSource.undoLastMigration();

    expect(await columns()).toEqual([]);
    expect((await dataSource.query('SELECT id FROM disclosures WHERE case_id = ?', [caseId])) as unknown[]).toEqual([{ id: original }]);
    await expect(insert(randomUUID())).rejects.toThrow(/Duplicate entry .* for key 'uq_disclosures_case_decision'/);

    await dataSource.runMigrations();
    expect(await columns()).toEqual(['replaced_by_id', 'replaces_id', 'revision']);
  });
});
