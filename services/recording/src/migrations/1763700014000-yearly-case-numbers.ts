import { chinaDayOf } from '@enforcement/calendar';
import { columnsFor } from '@enforcement/persistence';
import { Table, TableIndex, TableUnique, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Case numbers restart each year and follow each agency's pattern:
 * - case_number_counters (replacing case_number_sequences) counts per agency and year; an agency's existing count
 *   becomes this year's, so the numbers it already gave this year (in the old form, which stays the default) are
 *   never given again;
 * - agency_case_number_formats holds the patterns;
 * - a case number is unique within its agency (uq_cases_agency_case_number), since patterns like
 *   罚〔2026〕1号 are only told apart by the agency.
 */
export class YearlyCaseNumbers1763700014000 implements MigrationInterface {
  name = 'YearlyCaseNumbers1763700014000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    const year = Number(chinaDayOf(new Date()).slice(0, 4));
    await queryRunner.createTable(
      new Table({
        name: 'case_number_counters',
        columns: [{ ...c.string('agency_id', 36), isPrimary: true }, { ...c.int('year'), isPrimary: true }, c.int('last_value')],
      }),
    );
    await queryRunner.query(
      `INSERT INTO case_number_counters (agency_id, year, last_value) SELECT agency_id, ${year}, last_value FROM case_number_sequences`,
    );
    await queryRunner.dropTable('case_number_sequences');
    await queryRunner.createTable(
      new Table({
        name: 'agency_case_number_formats',
        columns: [
          { ...c.string('agency_id', 36), isPrimary: true },
          c.string('template', 64),
          c.string('updated_by', 64),
          c.timestamp('updated_at'),
        ],
      }),
    );
    await this.replaceUnique(queryRunner, 'uq_cases_case_number', 'uq_cases_agency_case_number', ['agency_id', 'case_number']);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    // Checked before anything changes (MariaDB cannot roll DDL back): numbers two agencies share must be renumbered first.
    const [shared] = await queryRunner.query('SELECT case_number FROM cases GROUP BY case_number HAVING COUNT(*) > 1');
    if (shared) throw new Error(`case number ${String(shared.case_number)} is used by more than one agency: renumber before going down`);
    await this.replaceUnique(queryRunner, 'uq_cases_agency_case_number', 'uq_cases_case_number', ['case_number']);
    await queryRunner.dropTable('agency_case_number_formats');
    await queryRunner.createTable(
      new Table({ name: 'case_number_sequences', columns: [{ ...c.string('agency_id', 36), isPrimary: true }, c.int('last_value')] }),
    );
    // Back to one count per agency: its latest year's.
    await queryRunner.query(
      'INSERT INTO case_number_sequences (agency_id, last_value) SELECT n.agency_id, n.last_value FROM case_number_counters n ' +
        'WHERE n.year = (SELECT MAX(m.year) FROM case_number_counters m WHERE m.agency_id = n.agency_id)',
    );
    await queryRunner.dropTable('case_number_counters');
  }

  /** MariaDB keeps a unique constraint as a unique index; SQLite as a table constraint. */
  private async replaceUnique(queryRunner: QueryRunner, from: string, to: string, columnNames: string[]): Promise<void> {
    if (queryRunner.connection.options.type === 'better-sqlite3') {
      await queryRunner.dropUniqueConstraint('cases', from);
      await queryRunner.createUniqueConstraint('cases', new TableUnique({ name: to, columnNames }));
    } else {
      await queryRunner.dropIndex('cases', from);
      await queryRunner.createIndex('cases', new TableIndex({ name: to, columnNames, isUnique: true }));
    }
  }
}
