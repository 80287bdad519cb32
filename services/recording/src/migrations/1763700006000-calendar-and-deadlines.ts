import { columnsFor } from '@enforcement/persistence';
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

export class CalendarAndDeadlines1763700006000 implements MigrationInterface {
  name = 'CalendarAndDeadlines1763700006000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    // The shipped holiday arrangements are inserted on start (CalendarService), not here: a later release
    // adds new years without a migration, and never overwrites what an administrator loaded.
    await queryRunner.createTable(
      new Table({
        name: 'calendar_years',
        columns: [
          { ...c.int('year'), isPrimary: true },
          c.json('holidays'),
          c.json('working_weekend_days'),
          c.text('source'),
          c.string('loaded_by', 64),
          c.timestamp('loaded_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'case_deadlines',
        columns: [
          c.id(),
          c.string('case_id', 36),
          c.string('agency_id', 36),
          c.string('region_code', 12),
          c.string('kind', 32),
          c.string('started_by_record_id', 36),
          c.timestamp('starts_at'),
          c.timestamp('due_at'),
          c.timestamp('satisfied_at', true),
          c.string('satisfied_by_record_id', 36, true),
          c.string('calendar_coverage', 16),
          c.string('status', 16),
        ],
        uniques: [{ name: 'uq_case_deadlines_started_kind', columnNames: ['started_by_record_id', 'kind'] }],
        indices: [
          { name: 'ix_case_deadlines_case', columnNames: ['case_id', 'starts_at'] },
          { name: 'ix_case_deadlines_status_due', columnNames: ['status', 'due_at'] },
          { name: 'ix_case_deadlines_region', columnNames: ['region_code', 'status', 'due_at'] },
          { name: 'ix_case_deadlines_agency', columnNames: ['agency_id', 'status', 'due_at'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('case_deadlines');
    await queryRunner.dropTable('calendar_years');
  }
}
