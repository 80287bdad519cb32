import { columnsFor } from '@enforcement/persistence';
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Each agency's publication periods and small-fine amounts. */
export class AgencyPublicitySettings1764000004000 implements MigrationInterface {
  name = 'AgencyPublicitySettings1764000004000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'agency_publicity_settings',
        columns: [
          { ...c.string('agency_id', 36), isPrimary: true },
          c.int('short_months'),
          c.int('long_months'),
          c.bigint('small_fine_person_fen'),
          c.bigint('small_fine_organisation_fen'),
          c.string('updated_by', 64),
          c.timestamp('updated_at'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('agency_publicity_settings');
  }
}
