import { Events, type certificatesV1 } from '@enforcement/contracts';
import { columnsFor, openDatabase } from '@enforcement/persistence';
import { Column, Entity, PrimaryColumn, Table, type DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { EVENT_BACKBONE_ENTITIES, EVENT_BACKBONE_MIGRATIONS } from '../index';
import type { EventContext } from '../lib/inbox/event-handler';

/**
 * A consumer effect for backbone tests: each handled AgencyRegistered adds one ledger row, so "applied
 * once" is a row count, and a name starting with "poison" makes the handler throw.
 */
@Entity({ name: 'test_ledger' })
export class LedgerEntry {
  @PrimaryColumn({ name: 'seq', type: 'varchar', length: 36 })
  seq: string;

  @Column({ name: 'agency_id', type: 'varchar', length: 36 })
  agencyId: string;

  @Column({ name: 'name', type: 'varchar', length: 200 })
  name: string;
}

export class TestLedger1763700099000 implements MigrationInterface {
  name = 'TestLedger1763700099000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(
      new Table({ name: 'test_ledger', columns: [c.id('seq'), c.string('agency_id', 36), c.string('name', 200)] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('test_ledger');
  }
}

export function openTestDatabase(options: { url?: string; sqliteFile?: string }): Promise<DataSource> {
  return openDatabase({
    url: options.url,
    sqliteFile: options.sqliteFile ?? ':memory:',
    entities: [...EVENT_BACKBONE_ENTITIES, LedgerEntry],
    migrations: [...EVENT_BACKBONE_MIGRATIONS, TestLedger1763700099000],
  });
}

export const ledgerBinding = {
  definition: Events.AgencyRegistered,
  name: 'ledger',
  handle: async (payload: unknown, { manager, envelope }: EventContext) => {
    const event = payload as certificatesV1.AgencyRegistered;
    if (event.name.startsWith('poison')) throw new Error(`cannot handle ${event.name}`);
    await manager.insert(LedgerEntry, { seq: envelope.eventId, agencyId: event.agencyId, name: event.name });
  },
};

export function agencyPayload(name: string, agencyId = name) {
  return { agencyId, name, creditCode: '', regionCode: '310101', domains: ['market-regulation'], legalBasis: '' };
}
