import { columnsFor } from '@enforcement/persistence';
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Outbox, inbox, dead letters and the relay lease: the tables every service needs for events. */
export class EventBackbone1763700000000 implements MigrationInterface {
  name = 'EventBackbone1763700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'outbox_events',
        columns: [
          c.autoId(),
          c.string('event_id', 36),
          c.string('event_type', 200),
          c.string('topic', 100),
          c.string('partition_key', 100),
          c.blob('payload'),
          c.timestamp('created_at'),
          c.timestamp('sent_at', true),
          c.int('attempts', 0),
          c.text('last_error', true),
        ],
        uniques: [{ name: 'uq_outbox_events_event_id', columnNames: ['event_id'] }],
      }),
    );
    await queryRunner.createIndex('outbox_events', new TableIndex({ name: 'ix_outbox_events_pending', columnNames: ['sent_at', 'id'] }));
    await queryRunner.createTable(
      new Table({
        name: 'inbox_events',
        columns: [
          { ...c.string('consumer', 100), isPrimary: true },
          { ...c.string('event_id', 36), isPrimary: true },
          c.string('event_type', 200),
          c.string('outcome', 20),
          c.timestamp('processed_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'dead_letters',
        columns: [
          c.autoId(),
          c.string('consumer', 100),
          c.string('event_id', 36, true),
          c.string('event_type', 200, true),
          c.string('topic', 100),
          c.string('partition_key', 100, true),
          c.blob('payload'),
          c.text('error'),
          c.int('attempts'),
          c.timestamp('failed_at'),
        ],
      }),
    );
    await queryRunner.createIndex(
      'dead_letters',
      new TableIndex({ name: 'ix_dead_letters_consumer_failed_at', columnNames: ['consumer', 'failed_at'] }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'relay_leases',
        columns: [{ ...c.string('name', 100), isPrimary: true }, c.string('owner', 100), c.timestamp('expires_at')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('relay_leases');
    await queryRunner.dropTable('dead_letters');
    await queryRunner.dropTable('inbox_events');
    await queryRunner.dropTable('outbox_events');
  }
}
