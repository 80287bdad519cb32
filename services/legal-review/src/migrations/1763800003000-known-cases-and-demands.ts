import { columnsFor } from '@enforcement/persistence';
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The cases' agency and region (CaseOpened), and the cases sent to review by an agency head or a supervisor. */
export class KnownCasesAndDemands1763800003000 implements MigrationInterface {
  name = 'KnownCasesAndDemands1763800003000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'known_cases',
        columns: [c.id(), c.string('agency_id', 36), c.string('region_code', 12), c.string('case_number', 100), c.timestamp('opened_at')],
        indices: [new TableIndex({ name: 'ix_known_cases_agency', columnNames: ['agency_id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'review_demands',
        columns: [
          c.id(),
          c.string('case_id', 36),
          c.string('agency_id', 36),
          c.string('demanded_by', 64),
          c.string('role', 16),
          c.text('reason'),
          c.timestamp('demanded_at'),
        ],
        indices: [new TableIndex({ name: 'ix_review_demands_case', columnNames: ['case_id'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('review_demands');
    await queryRunner.dropTable('known_cases');
  }
}
