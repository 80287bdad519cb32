import { columnsFor } from '@enforcement/persistence';
import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A changed decision is published in the withdrawn one's place (Art. 48): the replacement is a disclosure of its own,
 * a revision of the same case's decision that may keep its number, so a decision number is unique per revision, and
 * the two are linked both ways.
 */
export class DisclosureReplacements1764000005000 implements MigrationInterface {
  name = 'DisclosureReplacements1764000005000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.addColumns('disclosures', [
      new TableColumn(c.int('revision', 0)),
      new TableColumn(c.string('replaces_id', 36, true)),
      new TableColumn(c.string('replaced_by_id', 36, true)),
    ]);
    await queryRunner.dropIndex('disclosures', 'uq_disclosures_case_decision');
    await queryRunner.createIndex(
      'disclosures',
      new TableIndex({ name: 'uq_disclosures_case_decision', columnNames: ['case_id', 'decision_number', 'revision'], isUnique: true }),
    );
    // Each decision is replaced at most once: a redelivered change finds its replacement instead of making another.
    await queryRunner.createIndex(
      'disclosures',
      new TableIndex({ name: 'uq_disclosures_replaces', columnNames: ['replaces_id'], isUnique: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The replacements do not fit a schema with one disclosure per decision number: they go, with their history and
    // index terms; the decisions they replaced stay withdrawn.
    await queryRunner.query(
      'DELETE FROM disclosure_search_terms WHERE disclosure_id IN (SELECT id FROM disclosures WHERE replaces_id IS NOT NULL)',
    );
    await queryRunner.query(
      'DELETE FROM disclosure_history WHERE disclosure_id IN (SELECT id FROM disclosures WHERE replaces_id IS NOT NULL)',
    );
    await queryRunner.query('DELETE FROM disclosures WHERE replaces_id IS NOT NULL');
    await queryRunner.dropIndex('disclosures', 'uq_disclosures_replaces');
    await queryRunner.dropIndex('disclosures', 'uq_disclosures_case_decision');
    await queryRunner.createIndex(
      'disclosures',
      new TableIndex({ name: 'uq_disclosures_case_decision', columnNames: ['case_id', 'decision_number'], isUnique: true }),
    );
    await queryRunner.dropColumn('disclosures', 'replaced_by_id');
    await queryRunner.dropColumn('disclosures', 'replaces_id');
    await queryRunner.dropColumn('disclosures', 'revision');
  }
}
