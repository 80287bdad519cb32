import { columnsFor } from '@enforcement/persistence';
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

export class KnownAgencies1763700002000 implements MigrationInterface {
  name = 'KnownAgencies1763700002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'known_agencies',
        columns: [c.id(), c.string('name', 200), c.string('region_code', 12), c.json('domains'), c.timestamp('updated_at')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('known_agencies');
  }
}
