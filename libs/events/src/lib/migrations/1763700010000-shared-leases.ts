import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The relay's lease table becomes the service's one lease table: the relay keeps its row (named after the
 * service), singleton jobs add theirs ('job:<name>'). A relay of the previous release then finds no table and
 * stops relaying (it retries with backoff) instead of relaying beside a new replica.
 */
export class SharedLeases1763700010000 implements MigrationInterface {
  name = 'SharedLeases1763700010000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.renameTable('relay_leases', 'leases');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The previous release knows only relay leases.
    await queryRunner.query("DELETE FROM leases WHERE name LIKE 'job:%'");
    await queryRunner.renameTable('leases', 'relay_leases');
  }
}
