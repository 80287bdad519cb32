import { columnsFor } from '@enforcement/persistence';
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

export class Agencies1763700001000 implements MigrationInterface {
  name = 'Agencies1763700001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'agencies',
        columns: [
          c.id(),
          c.string('name', 200),
          c.string('credit_code', 18),
          c.string('region_code', 12),
          c.json('domains'),
          c.text('legal_basis'),
          c.timestamp('created_at'),
        ],
        uniques: [{ name: 'uq_agencies_credit_code', columnNames: ['credit_code'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('agencies');
  }
}
