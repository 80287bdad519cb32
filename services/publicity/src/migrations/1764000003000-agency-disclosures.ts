import { columnsFor } from '@enforcement/persistence';
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** What each agency publishes before enforcement (事前公开), section by section. */
export class AgencyDisclosures1764000003000 implements MigrationInterface {
  name = 'AgencyDisclosures1764000003000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'agency_disclosures',
        columns: [
          { ...c.string('agency_id', 36), isPrimary: true },
          { ...c.string('section', 40), isPrimary: true },
          c.json('content'),
          c.int('version'),
          c.string('updated_by', 64),
          c.timestamp('updated_at'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('agency_disclosures');
  }
}
