import { columnsFor } from '@enforcement/persistence';
import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * cases.state_seal: the HMAC of the case row's gate-relevant columns bound to its chain head (cases/case-state-seal.ts),
 * so that a status edited behind the service's back is noticed (issue #11). Null for rows written before: such a case
 * is refused on the step path and reported by verification until it is sealed (docs/operations.md).
 */
export class CaseStateSeal1764100003000 implements MigrationInterface {
  name = 'CaseStateSeal1764100003000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('cases', new TableColumn(columnsFor(queryRunner).string('state_seal', 64, true)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('cases', 'state_seal');
  }
}
