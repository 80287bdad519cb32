import { columnsFor } from '@enforcement/persistence';
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

export class FollowedCalendar1763900000000 implements MigrationInterface {
  name = 'FollowedCalendar1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'followed_calendar_years',
        columns: [
          { ...c.int('year'), isPrimary: true },
          c.json('holidays'),
          c.json('working_weekend_days'),
          c.text('source'),
          c.timestamp('loaded_at'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('followed_calendar_years');
  }
}
