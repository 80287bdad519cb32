import { columnsFor } from '@enforcement/persistence';
import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * agency_procedure_settings: each agency's Art. 63 large amounts, statement period and late-entry limit (null: the
 * default); case_late_entries: steps entered long after they happened, with the reason, listed for supervisors.
 */
export class AgencyProcedureSettings1763700012500 implements MigrationInterface {
  name = 'AgencyProcedureSettings1763700012500';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    const nullableInt = (name: string) => new TableColumn({ name, type: 'int', isNullable: true });
    await queryRunner.createTable(
      new Table({
        name: 'agency_procedure_settings',
        columns: [
          { ...c.string('agency_id', 36), isPrimary: true },
          c.bigint('large_fine_fen_natural_person', true),
          c.bigint('large_fine_fen_organisation', true),
          c.bigint('large_confiscation_fen_natural_person', true),
          c.bigint('large_confiscation_fen_organisation', true),
          nullableInt('statement_period_working_days'),
          nullableInt('late_entry_limit_minutes'),
          c.string('source', 100),
          c.timestamp('updated_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'case_late_entries',
        columns: [
          { ...c.string('record_id', 36), isPrimary: true },
          c.string('case_id', 36),
          c.string('agency_id', 36),
          c.string('region_code', 6),
          c.string('step_type', 32),
          c.string('recorded_by', 36),
          c.timestamp('occurred_at'),
          c.timestamp('recorded_at'),
          c.text('reason'),
        ],
        indices: [
          { name: 'ix_case_late_entries_agency_recorded', columnNames: ['agency_id', 'recorded_at'] },
          { name: 'ix_case_late_entries_region_recorded', columnNames: ['region_code', 'recorded_at'] },
          { name: 'ix_case_late_entries_recorded', columnNames: ['recorded_at', 'record_id'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('case_late_entries');
    await queryRunner.dropTable('agency_procedure_settings');
  }
}
