import { columnsFor } from '@enforcement/persistence';
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

export class CaseArchives1763700007000 implements MigrationInterface {
  name = 'CaseArchives1763700007000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'case_archives',
        columns: [
          c.id(),
          c.string('case_id', 36),
          c.string('object_key', 300),
          c.string('sha256', 64),
          c.bigint('size_bytes'),
          c.int('record_count'),
          c.string('chain_head', 64),
          c.boolean('evidence_included'),
          c.timestamp('created_at'),
        ],
        indices: [{ name: 'ix_case_archives_case_created', columnNames: ['case_id', 'created_at'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('case_archives');
  }
}
