import { columnsFor } from '@enforcement/persistence';
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The agencies' names, from AgencyRegistered, for the written opinions. */
export class KnownAgencies1763800002000 implements MigrationInterface {
  name = 'KnownAgencies1763800002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'known_agencies',
        columns: [c.id(), c.string('name', 200), c.string('region_code', 12), c.timestamp('updated_at')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('known_agencies');
  }
}
