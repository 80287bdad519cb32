import { columnsFor } from '@enforcement/persistence';
import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The keyword index of public decisions, their normalized search text, and the daily Merkle roots with their leaves. */
export class SearchAndRoots1764000002000 implements MigrationInterface {
  name = 'SearchAndRoots1764000002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.addColumn('disclosures', new TableColumn({ ...c.string('search_text', 1000), default: "''" }));
    // The portal's list: every decision ever published, newest first (withdrawn ones show their reason).
    await queryRunner.createIndex(
      'disclosures',
      new TableIndex({ name: 'ix_disclosures_published_at', columnNames: ['published_at', 'id'] }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'disclosure_search_terms',
        columns: [
          { ...c.string('term', 8), isPrimary: true },
          { ...c.timestamp('published_at'), isPrimary: true },
          { ...c.string('disclosure_id', 36), isPrimary: true },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'daily_roots',
        columns: [{ ...c.string('day', 10), isPrimary: true }, c.string('root', 64), c.int('size'), c.timestamp('computed_at')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'daily_root_leaves',
        columns: [
          { ...c.string('day', 10), isPrimary: true },
          { ...c.int('position'), isPrimary: true },
          c.string('disclosure_id', 36),
          c.text('leaf'),
          c.string('leaf_hash', 64),
        ],
        indices: [new TableIndex({ name: 'ix_daily_root_leaves_disclosure', columnNames: ['disclosure_id'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('daily_root_leaves');
    await queryRunner.dropTable('daily_roots');
    await queryRunner.dropTable('disclosure_search_terms');
    await queryRunner.dropIndex('disclosures', 'ix_disclosures_published_at');
    await queryRunner.dropColumn('disclosures', 'search_text');
  }
}
