import { columnsFor } from '@enforcement/persistence';
import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * cases.trace_parent: the W3C traceparent of the request that opened the case, so that every later step on the case,
 * and the events it emits, continue one trace (docs/operations.md#tracing). Null for cases opened before.
 */
export class CaseTraceParent1764100001000 implements MigrationInterface {
  name = 'CaseTraceParent1764100001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('cases', new TableColumn(columnsFor(queryRunner).string('trace_parent', 55, true)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('cases', 'trace_parent');
  }
}
