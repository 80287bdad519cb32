import { columnsFor } from '@enforcement/persistence';
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Requests applied once under an Idempotency-Key, with what each created, so a retry is answered, not applied again. */
export class IdempotencyKeys1764900001000 implements MigrationInterface {
  name = 'IdempotencyKeys1764900001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          { ...c.string('key_hash', 64), isPrimary: true },
          c.string('caller_id', 64),
          c.string('route', 300),
          c.string('fingerprint', 64),
          c.string('case_id', 36, true),
          c.string('result_id', 36),
          c.timestamp('created_at'),
          c.timestamp('expires_at'),
        ],
      }),
    );
    await queryRunner.createIndex(
      'idempotency_keys',
      new TableIndex({ name: 'ix_idempotency_keys_expires_at', columnNames: ['expires_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('idempotency_keys');
  }
}
