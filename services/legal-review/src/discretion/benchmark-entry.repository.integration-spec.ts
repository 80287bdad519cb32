import { openDatabase } from '@enforcement/persistence';
import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import type { DataSource } from 'typeorm';
import { LegalReview1763800001000 } from '../migrations/1763800001000-legal-review';
import type { BenchmarkEntry } from '../review-core/discretion-benchmark';
import { BenchmarkEntryEntity } from './benchmark-entry.entity';
import { BenchmarkEntryRepository } from './benchmark-entry.repository';

const AGENCY = '00000000-0000-4000-8000-0000000000a1';
const OTHER = '00000000-0000-4000-8000-0000000000b2';

function entry(violationCode: string, description = '销售不合格产品'): BenchmarkEntry {
  return {
    violationCode,
    description,
    legalBasis: '《中华人民共和国产品质量法》第十三条',
    penaltyBasis: '《中华人民共和国产品质量法》第四十九条',
    bands: { general: { penaltyKinds: ['fine'], fineFen: { min: 1_000_000, max: 20_000_000 } } },
  };
}

/** The discretion benchmark's rows on MariaDB: versions of one row per violation, concurrent saves, removal. */
describe('BenchmarkEntryRepository on MariaDB', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let entries: BenchmarkEntryRepository;

  beforeAll(async () => {
    database = await createTestDatabase('legal_review_benchmark');
    dataSource = await openDatabase({
      url: database.url,
      sqliteFile: ':memory:',
      entities: [BenchmarkEntryEntity],
      migrations: [LegalReview1763800001000],
    });
    entries = new BenchmarkEntryRepository(dataSource);
  }, 60_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('saves a violation again as the next version of the same row, never a second row', async () => {
    const first = await entries.saveVersion(AGENCY, entry('PQ-49'), 'admin-1', new Date());
    const second = await entries.saveVersion(AGENCY, entry('PQ-49', '销售假冒产品'), 'admin-2', new Date());
    expect([first.version, second.version]).toEqual([1, 2]);
    expect(second.id).toBe(first.id);
    const rows = await dataSource.getRepository(BenchmarkEntryEntity).findBy({ agencyId: AGENCY, violationCode: 'PQ-49' });
    expect(rows.map((row) => [row.version, row.description, row.updatedBy])).toEqual([[2, '销售假冒产品', 'admin-2']]);
  });

  it('gives saves of the same entry at the same moment a version each (the row lock), losing none', async () => {
    await entries.saveVersion(AGENCY, entry('PQ-50'), 'admin-1', new Date());
    const saved = await Promise.all(
      [1, 2, 3, 4].map((n) => entries.saveVersion(AGENCY, entry('PQ-50', `第${n}次`), `admin-${n}`, new Date())),
    );
    expect(saved.map((row) => row.version).sort()).toEqual([2, 3, 4, 5]);
    expect((await entries.find(AGENCY, 'PQ-50'))?.version).toBe(5);
  });

  it('lists an agency’s entries by violation code, only its own and at most as many as asked', async () => {
    await entries.saveVersion(OTHER, entry('AA-01'), 'admin-b', new Date());
    await entries.saveVersion(AGENCY, entry('AB-01'), 'admin-1', new Date());
    expect((await entries.listOf(AGENCY, 10)).map((row) => row.violationCode)).toEqual(['AB-01', 'PQ-49', 'PQ-50']);
    expect((await entries.listOf(AGENCY, 2)).map((row) => row.violationCode)).toEqual(['AB-01', 'PQ-49']);
    expect(await entries.find(AGENCY, 'AA-01')).toBeNull();
  });

  it('says whether there was an entry to remove, and removes no other agency’s', async () => {
    expect(await entries.remove(AGENCY, 'AA-01')).toBe(false);
    expect(await entries.find(OTHER, 'AA-01')).not.toBeNull();
    expect(await entries.remove(AGENCY, 'AB-01')).toBe(true);
    expect(await entries.remove(AGENCY, 'AB-01')).toBe(false);
    expect(await entries.find(AGENCY, 'AB-01')).toBeNull();
  });
});
