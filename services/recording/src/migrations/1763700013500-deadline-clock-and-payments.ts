import { columnsFor } from '@enforcement/persistence';
import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The decision period's clock (Art. 60) and the payment period's fine (Art. 67, 72):
 * - case_deadlines.extension_days: days added by the agency head's approved extension;
 * - case_deadlines.suspended_days and suspended_at: days the case stood suspended, and since when while it is;
 * - case_deadlines.amount_fen: the fine a payment period is for, so the late fee is counted on it;
 * - agency_deadline_settings: an agency's length of the extension (30 days where none is set).
 * Existing periods keep their due time: no extension or suspension, and the amount unknown (no late fee shown).
 */
export class DeadlineClockAndPayments1763700013500 implements MigrationInterface {
  name = 'DeadlineClockAndPayments1763700013500';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.addColumns('case_deadlines', [
      new TableColumn(c.int('extension_days', 0)),
      new TableColumn(c.int('suspended_days', 0)),
      new TableColumn(c.timestamp('suspended_at', true)),
      new TableColumn(c.bigint('amount_fen', true)),
    ]);
    await queryRunner.createTable(
      new Table({
        name: 'agency_deadline_settings',
        columns: [
          { ...c.string('agency_id', 36), isPrimary: true },
          c.int('decision_extension_days'),
          c.string('updated_by', 64),
          c.timestamp('updated_at'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('agency_deadline_settings');
    await queryRunner.dropColumn('case_deadlines', 'amount_fen');
    await queryRunner.dropColumn('case_deadlines', 'suspended_at');
    await queryRunner.dropColumn('case_deadlines', 'suspended_days');
    await queryRunner.dropColumn('case_deadlines', 'extension_days');
  }
}
