import { FieldCipher } from '@enforcement/field-cipher';
import { withCheckCharacter } from '@enforcement/identifiers';
import { openDatabase } from '@enforcement/persistence';
import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TableColumn, type DataSource } from 'typeorm';
import { Agencies1763700001000 } from './1763700001000-agencies';
import { OfficersAndCertificates1763700003000 } from './1763700003000-officers-and-certificates';
import { encryptedOfficerIdNumbers } from './1763900001000-encrypted-officer-id-numbers';

const key = randomBytes(32);
const cipher = new FieldCipher(key);
const BEFORE = [Agencies1763700001000, OfficersAndCertificates1763700003000];
const ALL = [...BEFORE, encryptedOfficerIdNumbers({ key: key.toString('base64') })];
// Clear numbers as the service stored them before issue #10; one with a lower-case check character.
const LEGACY = [
  { id: 'o-1', idNumber: withCheckCharacter('31010119850101123') },
  { id: 'o-2', idNumber: withCheckCharacter('31010619900909456') },
  { id: 'o-3', idNumber: '11010519491231002x' },
];

/** The migration that encrypts officers' ID numbers, on both dialects: legacy clear rows in, nothing clear out, and back. */
describe.each(['mariadb', 'sqlite'] as const)('EncryptedOfficerIdNumbers1763900001000 on %s', (dialect) => {
  let mariadb: TestDatabase | undefined;
  let dir: string;
  const opened: DataSource[] = [];

  const open = async (migrations: typeof ALL) => {
    const dataSource = await openDatabase({
      url: mariadb?.url,
      sqliteFile: path.join(dir, 'certificates.sqlite'),
      entities: [],
      migrations,
    });
    opened.push(dataSource);
    return dataSource;
  };
  const insertLegacy = async (dataSource: DataSource, rows: typeof LEGACY) => {
    for (const row of rows) {
      await dataSource.query(
        'INSERT INTO officers (id, agency_id, name, id_number, roles, supervised_region_code, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [row.id, 'agency-1', '王明', row.idNumber, '["officer"]', null, dialect === 'mariadb' ? new Date() : new Date().toISOString()],
      );
    }
  };
  const columns = async (dataSource: DataSource) => {
    const table = await dataSource.createQueryRunner().getTable('officers');
    return (table?.columns ?? []).map((column) => column.name).sort();
  };

  beforeAll(async () => {
    if (dialect === 'mariadb') mariadb = await createTestDatabase('certificates_id_numbers');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certificates-migration-'));
  });

  afterAll(async () => {
    await Promise.all(opened.filter((dataSource) => dataSource.isInitialized).map((dataSource) => dataSource.destroy()));
    await mariadb?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('encrypts every legacy clear row, keeps a unique blind index, and drops the clear column', async () => {
    const legacy = await open(BEFORE);
    await insertLegacy(legacy, LEGACY);
    await legacy.destroy();

    const dataSource = await open(ALL);

    expect(await columns(dataSource)).not.toContain('id_number');
    expect(await columns(dataSource)).toEqual(expect.arrayContaining(['id_number_encrypted', 'id_number_index']));
    const rows: Record<string, unknown>[] = await dataSource.query('SELECT * FROM officers ORDER BY id');
    expect(rows).toHaveLength(3);
    for (const [index, row] of rows.entries()) {
      const expected = LEGACY[index].idNumber.toUpperCase();
      expect(JSON.stringify(row)).not.toContain(expected.slice(0, 17));
      expect(cipher.decrypt(String(row['id_number_encrypted']), `officers.id_number:${row['id']}`)).toBe(expected);
      expect(row['id_number_index']).toBe(cipher.blindIndex(expected, 'officers.id_number'));
    }
    await expect(
      dataSource.query('UPDATE officers SET id_number_index = ? WHERE id = ?', [rows[0]['id_number_index'], 'o-2']),
    ).rejects.toThrow(/Duplicate|UNIQUE/);
    await expect(dataSource.query('UPDATE officers SET id_number_encrypted = NULL WHERE id = ?', ['o-2'])).rejects.toThrow(/null|NULL/);
  });

  it('runs again without harm, as after a start cut short (MariaDB commits each schema change at once)', async () => {
    const dataSource = opened[opened.length - 1];
    const before = await dataSource.query('SELECT * FROM officers ORDER BY id');
    const queryRunner = dataSource.createQueryRunner();
    try {
      await new ALL[2]().up(queryRunner);
    } finally {
      await queryRunner.release();
    }

    expect(await dataSource.query('SELECT * FROM officers ORDER BY id')).toEqual(before);
  });

  it('has a down that restores the clear column and its unique key, and up again encrypts once more', async () => {
    const dataSource = opened[opened.length - 1];

    await dataSource.undoLastMigration({ transaction: 'each' });

    expect(await columns(dataSource)).not.toContain('id_number_encrypted');
    const restored: { id: string; id_number: string }[] = await dataSource.query('SELECT id, id_number FROM officers ORDER BY id');
    expect(restored).toEqual(LEGACY.map((row) => ({ id: row.id, id_number: row.idNumber.toUpperCase() })));
    await expect(dataSource.query('UPDATE officers SET id_number = ? WHERE id = ?', [restored[0].id_number, 'o-2'])).rejects.toThrow(
      /Duplicate|UNIQUE/,
    );

    await dataSource.runMigrations({ transaction: 'each' });

    const again: Record<string, unknown>[] = await dataSource.query('SELECT * FROM officers ORDER BY id');
    expect(again.map((row) => cipher.decrypt(String(row['id_number_encrypted']), `officers.id_number:${row['id']}`))).toEqual(
      LEGACY.map((row) => row.idNumber.toUpperCase()),
    );
  });

  it('finishes a run cut short after part of the backfill and the old unique key were done', async () => {
    const dataSource = opened[opened.length - 1];
    await dataSource.undoLastMigration({ transaction: 'each' });
    const queryRunner = dataSource.createQueryRunner();
    try {
      await queryRunner.addColumns('officers', [
        new TableColumn({ name: 'id_number_encrypted', type: 'varchar', length: '255', isNullable: true }),
        new TableColumn({ name: 'id_number_index', type: 'varchar', length: '64', isNullable: true }),
      ]);
      await queryRunner.query('UPDATE officers SET id_number_encrypted = ?, id_number_index = ? WHERE id = ?', [
        cipher.encrypt(LEGACY[0].idNumber, 'officers.id_number:o-1'),
        cipher.blindIndex(LEGACY[0].idNumber, 'officers.id_number'),
        'o-1',
      ]);
      if (dialect === 'mariadb') await queryRunner.dropIndex('officers', 'uq_officers_id_number');
      else await queryRunner.dropUniqueConstraint('officers', 'uq_officers_id_number');
    } finally {
      await queryRunner.release();
    }

    await dataSource.runMigrations({ transaction: 'each' });

    expect(await columns(dataSource)).not.toContain('id_number');
    const rows: Record<string, unknown>[] = await dataSource.query('SELECT * FROM officers ORDER BY id');
    expect(rows.map((row) => cipher.decrypt(String(row['id_number_encrypted']), `officers.id_number:${row['id']}`))).toEqual(
      LEGACY.map((row) => row.idNumber.toUpperCase()),
    );
  });
});
