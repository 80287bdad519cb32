import { FieldCipher, type FieldEncryptionSetting } from '@enforcement/field-cipher';
import { columnsFor } from '@enforcement/persistence';
import { TableColumn, TableIndex, TableUnique, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

const BATCH = 500;
/** As officer-id-number.ts has them today; a migration keeps its own copy, so a later change cannot alter it. */
const context = (officerId: string) => `officers.id_number:${officerId}`;
const PURPOSE = 'officers.id_number';

/**
 * Officers' ID numbers encrypted at rest (issue #10). Needs the service's field key, so it is made from the
 * service's settings. Every step of up checks what is done already: MariaDB commits each schema change at once,
 * so a start cut short in the middle must be able to run it again. Up: adds `id_number_encrypted` and the unique blind index `id_number_index`, encrypts every
 * row still in clear (in batches, skipping rows already done, so a run cut short can run again), overwrites the
 * clear numbers, then drops the `id_number` column and its unique key. Down: brings the clear column back from the
 * decrypted values (every configured key is tried) and drops the new columns.
 */
/** MariaDB keeps a unique key as an index, SQLite as a table constraint: either, by name. */
async function hasKey(queryRunner: QueryRunner, name: string): Promise<boolean> {
  const table = await queryRunner.getTable('officers');
  return !!table && [...table.indices, ...table.uniques].some((key) => key.name === name);
}

/**
 * Makes nullable varchar columns of `officers` NOT NULL, keeping their values. On MariaDB with a plain MODIFY:
 * TypeORM's changeColumn there drops and re-adds a column whenever it thinks the type differs, which would lose the
 * values. On SQLite changeColumn copies the table, values included.
 */
async function requireValues(queryRunner: QueryRunner, columns: TableColumnOptions[]): Promise<void> {
  for (const column of columns) {
    if (columnsFor(queryRunner).mysql) {
      await queryRunner.query(`ALTER TABLE officers MODIFY \`${column.name}\` varchar(${column.length}) NOT NULL`);
    } else {
      await queryRunner.changeColumn('officers', column.name, new TableColumn(column));
    }
  }
  // TypeORM keeps what it last read of the table; the raw ALTER makes that stale.
  await queryRunner.getTable('officers');
}

export function encryptedOfficerIdNumbers(fieldEncryption: FieldEncryptionSetting) {
  return class EncryptedOfficerIdNumbers1763900001000 implements MigrationInterface {
    name = 'EncryptedOfficerIdNumbers1763900001000';

    async up(queryRunner: QueryRunner): Promise<void> {
      const c = columnsFor(queryRunner);
      const cipher = await FieldCipher.fromConfig(fieldEncryption);
      if (!(await queryRunner.hasColumn('officers', 'id_number_encrypted'))) {
        await queryRunner.addColumns('officers', [
          new TableColumn(c.string('id_number_encrypted', 255, true)),
          new TableColumn(c.string('id_number_index', 64, true)),
        ]);
      }
      if (await queryRunner.hasColumn('officers', 'id_number')) {
        for (;;) {
          const rows: { id: string; id_number: string }[] = await queryRunner.query(
            `SELECT id, id_number FROM officers WHERE id_number_encrypted IS NULL ORDER BY id LIMIT ${BATCH}`,
          );
          if (rows.length === 0) break;
          for (const row of rows) {
            const idNumber = row.id_number.trim().toUpperCase();
            await queryRunner.query('UPDATE officers SET id_number_encrypted = ?, id_number_index = ? WHERE id = ?', [
              cipher.encrypt(idNumber, context(row.id)),
              cipher.blindIndex(idNumber, PURPOSE),
              row.id,
            ]);
          }
        }
        // The clear numbers are overwritten before the column goes: MariaDB drops a column in place (the bytes
        // would stay in the rows until the table is rebuilt).
        if (await hasKey(queryRunner, 'uq_officers_id_number')) {
          if (c.mysql) await queryRunner.dropIndex('officers', 'uq_officers_id_number');
          else await queryRunner.dropUniqueConstraint('officers', 'uq_officers_id_number');
        }
        await queryRunner.query("UPDATE officers SET id_number = ''");
        await queryRunner.dropColumn('officers', 'id_number');
      }
      // Every row has both now: NOT NULL from here on.
      await requireValues(queryRunner, [c.string('id_number_encrypted', 255), c.string('id_number_index', 64)]);
      if (!(await hasKey(queryRunner, 'uq_officers_id_number_index'))) {
        await queryRunner.createIndex(
          'officers',
          new TableIndex({ name: 'uq_officers_id_number_index', columnNames: ['id_number_index'], isUnique: true }),
        );
      }
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      const c = columnsFor(queryRunner);
      const cipher = await FieldCipher.fromConfig(fieldEncryption);
      if (!(await queryRunner.hasColumn('officers', 'id_number'))) {
        await queryRunner.addColumn('officers', new TableColumn(c.string('id_number', 18, true)));
      }
      if (await queryRunner.hasColumn('officers', 'id_number_encrypted')) {
        for (;;) {
          const rows: { id: string; id_number_encrypted: string }[] = await queryRunner.query(
            `SELECT id, id_number_encrypted FROM officers WHERE id_number IS NULL ORDER BY id LIMIT ${BATCH}`,
          );
          if (rows.length === 0) break;
          for (const row of rows) {
            await queryRunner.query('UPDATE officers SET id_number = ? WHERE id = ?', [
              cipher.decrypt(row.id_number_encrypted, context(row.id)),
              row.id,
            ]);
          }
        }
        if (await hasKey(queryRunner, 'uq_officers_id_number_index'))
          await queryRunner.dropIndex('officers', 'uq_officers_id_number_index');
        await queryRunner.dropColumns('officers', ['id_number_encrypted', 'id_number_index']);
      }
      await requireValues(queryRunner, [c.string('id_number', 18)]);
      if (!(await hasKey(queryRunner, 'uq_officers_id_number'))) {
        if (c.mysql) {
          await queryRunner.createIndex(
            'officers',
            new TableIndex({ name: 'uq_officers_id_number', columnNames: ['id_number'], isUnique: true }),
          );
        } else {
          await queryRunner.createUniqueConstraint(
            'officers',
            new TableUnique({ name: 'uq_officers_id_number', columnNames: ['id_number'] }),
          );
        }
      }
    }
  };
}
