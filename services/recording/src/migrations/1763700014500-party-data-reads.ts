import { columnsFor } from '@enforcement/persistence';
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** party_data_reads: every reading of a party's decrypted ID number and contacts (issue #11). */
export class PartyDataReads1763700014500 implements MigrationInterface {
  name = 'PartyDataReads1763700014500';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'party_data_reads',
        columns: [
          c.id(),
          c.string('case_id', 36),
          c.string('agency_id', 36),
          c.string('region_code', 12),
          c.string('user_id', 64),
          c.timestamp('read_at'),
        ],
        indices: [
          new TableIndex({ name: 'ix_party_data_reads_region', columnNames: ['region_code', 'read_at'] }),
          new TableIndex({ name: 'ix_party_data_reads_case', columnNames: ['case_id', 'read_at'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('party_data_reads');
  }
}
