import { columnsFor } from '@enforcement/persistence';
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The co-officers' tokens spent as proof of presence (Art. 42), each usable once. */
export class CoOfficerProofs1764400001000 implements MigrationInterface {
  name = 'CoOfficerProofs1764400001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'co_officer_proofs',
        columns: [
          { ...c.string('token_key', 64), isPrimary: true },
          c.string('officer_id', 64),
          c.string('caller_id', 64),
          c.string('route', 300),
          c.timestamp('used_at'),
          c.timestamp('expires_at'),
        ],
      }),
    );
    await queryRunner.createIndex(
      'co_officer_proofs',
      new TableIndex({ name: 'ix_co_officer_proofs_expires_at', columnNames: ['expires_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('co_officer_proofs');
  }
}
