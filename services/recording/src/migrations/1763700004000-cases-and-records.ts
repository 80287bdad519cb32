import { columnsFor } from '@enforcement/persistence';
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

export class CasesAndRecords1763700004000 implements MigrationInterface {
  name = 'CasesAndRecords1763700004000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'cases',
        columns: [
          c.id(),
          c.string('agency_id', 36),
          c.string('case_number', 64),
          c.string('domain', 64),
          c.string('region_code', 12),
          c.string('procedure', 16),
          c.string('status', 16),
          c.text('alleged_violation'),
          c.text('legal_basis'),
          c.json('handling_officer_ids'),
          c.boolean('requires_collective_decision'),
          c.string('legal_review_status', 16),
          c.timestamp('opened_at'),
          c.string('opened_by', 36),
          c.timestamp('closed_at', true),
          c.int('record_count', 0),
          c.string('chain_head', 64),
        ],
        uniques: [{ name: 'uq_cases_case_number', columnNames: ['case_number'] }],
        indices: [
          { name: 'ix_cases_agency_opened', columnNames: ['agency_id', 'opened_at'] },
          { name: 'ix_cases_region', columnNames: ['region_code'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'case_parties',
        columns: [
          { ...c.string('case_id', 36), isPrimary: true },
          c.string('kind', 16),
          c.string('name', 200),
          c.text('identifier_encrypted'),
          c.text('contact_encrypted'),
          c.boolean('is_minor'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'case_records',
        columns: [
          c.id(),
          c.string('case_id', 36),
          c.int('sequence'),
          c.string('step_type', 32),
          c.timestamp('occurred_at'),
          c.timestamp('recorded_at'),
          c.string('recorded_by', 36),
          c.string('place', 500),
          c.json('acting_officer_ids'),
          c.json('certificates'),
          c.json('fields'),
          c.text('text'),
          c.json('evidence'),
          c.string('corrects_record_id', 36, true),
          c.string('previous_hash', 64),
          c.string('hash', 64),
        ],
        uniques: [{ name: 'uq_case_records_case_sequence', columnNames: ['case_id', 'sequence'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('case_records');
    await queryRunner.dropTable('case_parties');
    await queryRunner.dropTable('cases');
  }
}
