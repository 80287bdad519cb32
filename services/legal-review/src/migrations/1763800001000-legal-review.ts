import { columnsFor } from '@enforcement/persistence';
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The catalog versions, the discretion benchmark, the reviews and their rounds. */
export class LegalReview1763800001000 implements MigrationInterface {
  name = 'LegalReview1763800001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'catalog_versions',
        columns: [
          c.id(),
          c.string('agency_id', 36),
          c.int('version'),
          c.json('content'),
          c.string('note', 500),
          c.string('published_by', 64),
          c.timestamp('published_at'),
        ],
        indices: [new TableIndex({ name: 'uq_catalog_versions_agency_version', columnNames: ['agency_id', 'version'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'benchmark_entries',
        columns: [
          c.id(),
          c.string('agency_id', 36),
          c.string('violation_code', 64),
          c.string('description', 500),
          c.string('legal_basis', 500),
          c.string('penalty_basis', 500),
          c.json('bands'),
          c.int('version'),
          c.string('updated_by', 64),
          c.timestamp('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_benchmark_entries_agency_violation', columnNames: ['agency_id', 'violation_code'], isUnique: true }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'reviews',
        columns: [
          c.id(),
          c.string('case_id', 36),
          c.string('agency_id', 36),
          c.string('region_code', 12),
          c.string('case_number', 100),
          c.string('status', 16),
          c.int('round'),
          c.string('reviewer_officer_id', 64, true),
          c.timestamp('due_at'),
          c.timestamp('overdue_at', true),
          c.timestamp('opened_at'),
          c.timestamp('updated_at'),
          c.int('version'),
        ],
        indices: [
          new TableIndex({ name: 'uq_reviews_case_id', columnNames: ['case_id'], isUnique: true }),
          new TableIndex({ name: 'ix_reviews_agency_opened', columnNames: ['agency_id', 'opened_at', 'id'] }),
          new TableIndex({ name: 'ix_reviews_status_due', columnNames: ['status', 'due_at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'review_rounds',
        columns: [
          c.id(),
          c.string('review_id', 36),
          c.int('number'),
          c.string('proposal_digest', 64),
          c.json('snapshot'),
          c.json('evaluation'),
          c.int('catalog_version'),
          c.timestamp('submitted_at'),
          c.timestamp('due_at'),
          c.json('extensions'),
          c.string('reviewer_officer_id', 64, true),
          c.timestamp('assigned_at', true),
          c.string('outcome', 16, true),
          c.json('items'),
          c.text('opinion'),
          c.timestamp('concluded_at', true),
          c.timestamp('overdue_at', true),
          c.string('opinion_object_key', 200, true),
          c.string('opinion_sha256', 64, true),
        ],
        indices: [
          new TableIndex({ name: 'uq_review_rounds_review_number', columnNames: ['review_id', 'number'], isUnique: true }),
          new TableIndex({ name: 'ix_review_rounds_reviewer_concluded', columnNames: ['reviewer_officer_id', 'concluded_at'] }),
        ],
        foreignKeys: [
          { name: 'fk_review_rounds_review', columnNames: ['review_id'], referencedTableName: 'reviews', referencedColumnNames: ['id'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('review_rounds');
    await queryRunner.dropTable('reviews');
    await queryRunner.dropTable('benchmark_entries');
    await queryRunner.dropTable('catalog_versions');
  }
}
