import { Events } from '@enforcement/contracts';
import { contextFromTraceparent, ServiceTracing } from '@enforcement/observability';
import { openDatabase } from '@enforcement/persistence';
import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import type { DataSource } from 'typeorm';
import { EVENT_BACKBONE_ENTITIES, EVENT_BACKBONE_MIGRATIONS } from '../../index';
import { agencyPayload } from '../../test-support/ledger';
import { TransactionalOutbox } from '../outbox/transactional-outbox';

const TRACEPARENT_OF = /^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/;

describe('OutboxTraceParent1764100000000', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('events_outbox_trace_parent');
  });

  afterAll(() => database?.drop());

  const traceParents = async (dataSource: DataSource) =>
    ((await dataSource.query('SELECT trace_parent FROM outbox_events ORDER BY id')) as Array<{ trace_parent: string | null }>).map(
      (row) => row.trace_parent,
    );

  it.each([
    ['MariaDB', () => ({ url: database.url, sqliteFile: '' })],
    ['SQLite', () => ({ sqliteFile: ':memory:' })],
  ])(
    'adds a nullable trace_parent that takes the staging span`s context, and removes it going down, rows kept (%s)',
    async (_dialect, where) => {
      const dataSource = await openDatabase({ ...where(), entities: EVENT_BACKBONE_ENTITIES, migrations: EVENT_BACKBONE_MIGRATIONS });
      try {
        const outbox = new TransactionalOutbox(dataSource);
        const tracing = new ServiceTracing({ serviceName: 'certificates', exporter: 'none' });
        await tracing.inSpan('request', { parent: contextFromTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01') }, () =>
          outbox.run(({ emit }) => emit(Events.AgencyRegistered, agencyPayload('traced'), { partitionKey: 'traced' })),
        );
        await outbox.run(({ emit }) => emit(Events.AgencyRegistered, agencyPayload('untraced'), { partitionKey: 'untraced' }));
        const [traced, untraced] = await traceParents(dataSource);
        expect(traced).toMatch(TRACEPARENT_OF);
        expect(untraced).toBeNull();

        await dataSource.undoLastMigration({ transaction: 'each' });
        const queryRunner = dataSource.createQueryRunner();
        try {
          expect(await queryRunner.hasColumn('outbox_events', 'trace_parent')).toBe(false);
        } finally {
          await queryRunner.release();
        }
        const [{ n }] = (await dataSource.query('SELECT COUNT(*) AS n FROM outbox_events')) as Array<{ n: number | string }>;
        expect(Number(n)).toBe(2);

        await dataSource.runMigrations({ transaction: 'each' });
        expect(await traceParents(dataSource)).toEqual([null, null]);
      } finally {
        await dataSource.destroy();
      }
    },
  );
});
