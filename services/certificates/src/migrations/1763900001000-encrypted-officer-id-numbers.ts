import { FieldCipher, type FieldEncryptionSetting } from '@enforcement/field-cipher';
import { columnsFor } from '@enforcement/persistence';
import { TableColumn, TableIndex, TableUnique, type MigrationInterface, type QueryRunner } from 'typeorm';

const BATCH = 500;
/** As officer-id-number.ts has them today; a migration keeps its own copy, so a later change cannot alter it. */
const context = (officerId: string) => `officers.id_number:${officerId}`;
const PURPOSE = 'officers.id_number';

/**
 * Officers' ID numbers encrypted at rest (issue #10). Needs the service's field key, so it is made from the
 * service's settings. Up: adds `id_number_encrypted` and the unique blind index `id_number_index`, encrypts every
 * row still in clear (in batches, skipping rows already done, so a run cut short can run again), overwrites the
 * clear numbers, then drops the `id_number` column and its unique key. Down: brings the clear column back from the
 * decrypted values (every configured key is tried) and drops the new columns.
 */
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
        if (c.mysql) await queryRunner.dropIndex('officers', 'uq_officers_id_number');
        else await queryRunner.dropUniqueConstraint('officers', 'uq_officers_id_number');
        await queryRunner.query("UPDATE officers SET id_number = ''");
        await queryRunner.dropColumn('officers', 'id_number');
      }
      // Every row has both now: NOT NULL from here on.
      await queryRunner.changeColumn('officers', 'id_number_encrypted', new TableColumn(c.string('id_number_encrypted', 255)));
      await queryRunner.changeColumn('officers', 'id_number_index', new TableColumn(c.string('id_number_index', 64)));
      await queryRunner.createIndex(
        'officers',
        new TableIndex({ name: 'uq_officers_id_number_index', columnNames: ['id_number_index'], isUnique: true }),
      );
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      const c = columnsFor(queryRunner);
      const cipher = await FieldCipher.fromConfig(fieldEncryption);
      await queryRunner.addColumn('officers', new TableColumn(c.string('id_number', 18, true)));
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
      await queryRunner.dropIndex('officers', 'uq_officers_id_number_index');
      await queryRunner.dropColumns('officers', ['id_number_encrypted', 'id_number_index']);
      await queryRunner.changeColumn('officers', 'id_number', new TableColumn(c.string('id_number', 18)));
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
  };
}
