import { columnsFor } from '@enforcement/persistence';
import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * outbox_events.trace_parent: the W3C traceparent of the span that staged the event, sent as the Kafka header
 * `traceparent` so the consumer continues the same trace. Nullable: rows staged before, or outside any span.
 */
export class OutboxTraceParent1764100000000 implements MigrationInterface {
  name = 'OutboxTraceParent1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('outbox_events', new TableColumn(columnsFor(queryRunner).string('trace_parent', 55, true)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('outbox_events', 'trace_parent');
  }
}
