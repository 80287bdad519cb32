import { openDatabase } from '@enforcement/persistence';
import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import type { DataSource } from 'typeorm';
import { Evidence1763700005000 } from './1763700005000-evidence';
import { AgencyProcedureSettings1763700012500 } from './1763700012500-agency-procedure-settings';
import { EvidenceFixityAndLateFootage1763700016700 } from './1763700016700-evidence-fixity-and-late-footage';
import { FootageUploadLimit1763700016800 } from './1763700016800-footage-upload-limit';

/** Migrations 1763700016700 and 1763700016800 on MariaDB and SQLite: what up adds, and that down takes it away. */
describe.each([
  ['MariaDB', true],
  ['SQLite', false],
])('migrations of the fixity checks and the footage limit on %s', (_name, mariadb) => {
  let database: TestDatabase | undefined;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = mariadb ? await createTestDatabase('recording_fixity_migrations') : undefined;
    dataSource = await openDatabase({
      url: database?.url,
      sqliteFile: ':memory:',
      entities: [],
      migrations: [
        Evidence1763700005000,
        AgencyProcedureSettings1763700012500,
        EvidenceFixityAndLateFootage1763700016700,
        FootageUploadLimit1763700016800,
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const shape = async () => {
    const runner = dataSource.createQueryRunner();
    try {
      const column = async (table: string, name: string) => (await runner.getTable(table))?.findColumnByName(name) !== undefined;
      return {
        checks: await runner.hasTable('evidence_fixity_checks'),
        uploadReason: await column('evidence_uploads', 'late_entry_reason'),
        itemReason: await column('evidence_items', 'late_entry_reason'),
        footageLimit: await column('agency_procedure_settings', 'footage_upload_limit_minutes'),
      };
    } finally {
      await runner.release();
    }
  };

  it('adds the table and columns, removes them on the way down, and adds them again', async () => {
    expect(await shape()).toEqual({ checks: true, uploadReason: true, itemReason: true, footageLimit: true });

    await dataSource.undoLastMigration();
    expect(await shape()).toEqual({ checks: true, uploadReason: true, itemReason: true, footageLimit: false });
    await dataSource.undoLastMigration();
    expect(await shape()).toEqual({ checks: false, uploadReason: false, itemReason: false, footageLimit: false });

    await dataSource.runMigrations();
    expect(await shape()).toEqual({ checks: true, uploadReason: true, itemReason: true, footageLimit: true });
  });
});
