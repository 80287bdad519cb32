import { columnsFor } from '@enforcement/persistence';
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

export class CaseNumberSequences1763700009000 implements MigrationInterface {
  name = 'CaseNumberSequences1763700009000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    // No back-fill: an agency's row is created on its next opening, from the cases it has by then.
    await queryRunner.createTable(
      new Table({
        name: 'case_number_sequences',
        columns: [{ ...c.string('agency_id', 36), isPrimary: true }, c.int('last_value')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('case_number_sequences');
  }
}
