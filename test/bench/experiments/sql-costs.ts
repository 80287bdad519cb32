import { Events } from '@enforcement/contracts';
import { EVENT_BACKBONE_ENTITIES, EVENT_BACKBONE_MIGRATIONS, OutboxEventEntity } from '@enforcement/events';
import { openDatabase } from '@enforcement/persistence';
import { createTestDatabase } from '@enforcement/testing';
import { IsNull, type DataSource } from 'typeorm';
import { bulkStage } from '../support/bulk-stage';

/**
 * The relay's statements one by one on MariaDB, in wall time and in this process's CPU time: with
 * the broker round trip overlapped, the relay is bound by node's single thread, so CPU spent building
 * queries and hydrating rows counts as much as the database's own time.
 *   node scripts/run-ts.js test/bench/experiments/sql-costs.ts
 */
const BATCH = 500;
const REPEATS = 15;

async function measure(label: string, work: () => Promise<void>): Promise<void> {
  const wall: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < REPEATS; i++) {
    const started = process.hrtime.bigint();
    await work();
    wall.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  const cpu = process.cpuUsage(cpuBefore);
  wall.sort((a, b) => a - b);
  process.stdout.write(
    `${label.padEnd(48)} wall median ${wall[Math.floor(REPEATS / 2)].toFixed(2).padStart(6)} ms` +
      `   node cpu ${((cpu.user + cpu.system) / 1000 / REPEATS).toFixed(2).padStart(5)} ms\n`,
  );
}

async function pendingIds(dataSource: DataSource, count: number): Promise<string[]> {
  const query = 'SELECT id FROM outbox_events WHERE sent_at IS NULL ORDER BY id LIMIT ?';
  const rows = (await dataSource.query(query, [count])) as Array<{ id: string }>;
  if (rows.length < count) throw new Error('not enough pending rows staged');
  return rows.map((row) => row.id);
}

async function main(): Promise<void> {
  const database = await createTestDatabase('bench_sql_costs');
  let dataSource: DataSource | undefined;
  try {
    dataSource = await openDatabase({
      url: database.url,
      sqliteFile: ':memory:',
      entities: EVENT_BACKBONE_ENTITIES,
      migrations: EVENT_BACKBONE_MIGRATIONS,
    });
    const data = dataSource;
    // Enough for every mark below (3 ways × 2 index states × REPEATS batches), with sent rows in front as in production.
    await bulkStage(data, async (emit) => {
      for (let i = 0; i < (6 * REPEATS + 10) * BATCH; i++) {
        await emit(Events.CaseClosed, { caseId: `c${i % 64}`, chainHead: 'x'.repeat(64) }, { partitionKey: `c${i % 64}` });
      }
    });
    const repository = data.getRepository(OutboxEventEntity);

    await measure(`select ${BATCH}: repository.find (OutboxRelay)`, async () => {
      await repository.find({ where: { sentAt: IsNull() }, order: { id: 'ASC' }, take: BATCH });
    });
    await measure(`select ${BATCH}: 7 columns, getRawMany`, async () => {
      await repository
        .createQueryBuilder('o')
        .select(['o.id AS id', 'o.eventId AS eventId', 'o.eventType AS eventType', 'o.topic AS topic'])
        .addSelect(['o.partitionKey AS partitionKey', 'o.payload AS payload', 'o.attempts AS attempts'])
        .where('o.sentAt IS NULL')
        .orderBy('o.id', 'ASC')
        .limit(BATCH)
        .getRawMany();
    });
    await measure('lease renewal UPDATE (autocommit, one row)', async () => {
      await data.query("UPDATE relay_leases SET expires_at = NOW(3) WHERE name = 'x'");
    });

    const marks = async (label: string) => {
      const ways: Record<string, (ids: string[]) => Promise<unknown>> = {
        'whereInIds (OutboxRelay)': (ids) => repository.createQueryBuilder().update().set({ sentAt: new Date() }).whereInIds(ids).execute(),
        'where id IN (:...ids)': (ids) =>
          repository.createQueryBuilder().update().set({ sentAt: new Date() }).where('id IN (:...ids)', { ids }).execute(),
        'raw SQL': (ids) =>
          data.query(`UPDATE outbox_events SET sent_at = ? WHERE id IN (${ids.map(() => '?').join(',')})`, [new Date(), ...ids]),
      };
      for (const [way, mark] of Object.entries(ways)) {
        // Looked up before the clock: only the UPDATE is measured, each on its own pending batch.
        const ids = await pendingIds(data, BATCH * REPEATS);
        let next = 0;
        await measure(`mark ${BATCH} sent: ${way}, ${label}`, async () => {
          await mark(ids.slice(next * BATCH, ++next * BATCH));
        });
      }
    };
    await marks('pending index');
    await data.query('DROP INDEX ix_outbox_events_pending ON outbox_events');
    await marks('no index');
  } finally {
    await dataSource?.destroy();
    await database.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
