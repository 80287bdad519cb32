import { columnsFor } from '@enforcement/persistence';
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The disclosures, their internal history and the agencies' public data. */
export class Publicity1764000001000 implements MigrationInterface {
  name = 'Publicity1764000001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'disclosures',
        columns: [
          c.id(),
          c.string('case_id', 36),
          c.string('agency_id', 36),
          c.string('region_code', 12),
          c.string('domain', 64),
          c.string('case_number', 100),
          c.string('decision_number', 100),
          c.string('category', 16),
          c.string('status', 16),
          c.string('not_published_code', 32, true),
          c.string('confidentiality', 24),
          c.string('party_kind', 16),
          c.string('party_credit_code', 18, true),
          c.string('penalty_kinds', 200),
          c.bigint('fine_fen'),
          c.bigint('confiscation_fen'),
          c.timestamp('decided_at'),
          c.timestamp('due_at'),
          c.string('due_coverage', 16),
          c.timestamp('overdue_announced_at', true),
          c.json('original'),
          c.json('redacted'),
          c.json('findings'),
          c.string('chain_head', 64),
          c.string('reviewed_by', 64, true),
          c.timestamp('published_at', true),
          c.timestamp('public_until', true),
          c.json('published', true),
          c.string('content_digest', 64, true),
          c.timestamp('altered_at', true),
          c.timestamp('withdrawal_due_at', true),
          c.timestamp('withdrawn_at', true),
          c.string('withdrawal_reason', 2000, true),
          c.timestamp('created_at'),
          c.timestamp('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_disclosures_case_decision', columnNames: ['case_id', 'decision_number'], isUnique: true }),
          new TableIndex({ name: 'ix_disclosures_status_due', columnNames: ['status', 'due_at'] }),
          new TableIndex({ name: 'ix_disclosures_public', columnNames: ['status', 'published_at', 'id'] }),
          new TableIndex({ name: 'ix_disclosures_agency_status', columnNames: ['agency_id', 'status', 'decided_at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'disclosure_history',
        columns: [c.id(), c.string('disclosure_id', 36), c.string('action', 32), c.string('by', 64), c.timestamp('at'), c.json('detail')],
        indices: [new TableIndex({ name: 'ix_disclosure_history_disclosure', columnNames: ['disclosure_id', 'at'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'public_agencies',
        columns: [
          c.id(),
          c.string('name', 200),
          c.string('credit_code', 18),
          c.string('region_code', 12),
          c.json('domains'),
          c.string('legal_basis', 2000),
          c.timestamp('updated_at'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('public_agencies');
    await queryRunner.dropTable('disclosure_history');
    await queryRunner.dropTable('disclosures');
  }
}
