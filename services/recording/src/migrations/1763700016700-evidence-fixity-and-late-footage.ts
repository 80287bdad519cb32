import { columnsFor } from '@enforcement/persistence';
import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * evidence_fixity_checks: each re-hash of a stored original (issue #11: evidence that stays true); the late-entry
 * reason of footage uploaded past its agency's limit, on uploads and items (issue #10).
 */
export class EvidenceFixityAndLateFootage1763700016700 implements MigrationInterface {
  name = 'EvidenceFixityAndLateFootage1763700016700';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'evidence_fixity_checks',
        columns: [
          c.id(),
          c.string('evidence_id', 36),
          c.string('case_id', 36),
          c.string('agency_id', 36),
          c.string('region_code', 12),
          c.timestamp('checked_at'),
          c.boolean('ok'),
          c.string('expected_sha256', 64),
          c.string('found_sha256', 64, true),
          c.string('detail', 200, true),
        ],
        indices: [
          { name: 'ix_evidence_fixity_checks_evidence', columnNames: ['evidence_id', 'checked_at'] },
          { name: 'ix_evidence_fixity_checks_failures', columnNames: ['ok', 'checked_at', 'id'] },
          { name: 'ix_evidence_fixity_checks_region', columnNames: ['region_code', 'checked_at'] },
        ],
      }),
    );
    await queryRunner.addColumn('evidence_uploads', new TableColumn(c.text('late_entry_reason', true)));
    await queryRunner.addColumn('evidence_items', new TableColumn(c.text('late_entry_reason', true)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('evidence_items', 'late_entry_reason');
    await queryRunner.dropColumn('evidence_uploads', 'late_entry_reason');
    await queryRunner.dropTable('evidence_fixity_checks');
  }
}
