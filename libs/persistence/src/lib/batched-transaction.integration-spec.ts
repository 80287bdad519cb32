import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import {
  Column,
  Entity,
  PrimaryColumn,
  QueryFailedError,
  Table,
  type DataSource,
  type MigrationInterface,
  type QueryRunner,
} from 'typeorm';
import { batchedTransaction } from './batched-transaction';
import { openDatabase } from './data-source.factory';
import { isDuplicateKeyError } from './duplicate-key';
import { EntityRows } from './entity-rows';
import { columnsFor } from './migration-columns';

@Entity({ name: 'entries' })
class EntryEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'body', type: 'text' })
  body!: string;
}

class Entries1700000000001 implements MigrationInterface {
  name = 'Entries1700000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(new Table({ name: 'entries', columns: [c.id(), c.text('body')] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('entries');
  }
}

type CountedConnection = { query: (...args: unknown[]) => unknown; counted?: true };

/** Writes down each query (one round trip) the pool's connections are asked while `log.sent` is set. */
function countRoundTrips(dataSource: DataSource): { sent?: string[] } {
  const log: { sent?: string[] } = {};
  const pool = (dataSource.driver as unknown as { pool: { getConnection(cb: (error: unknown, connection: unknown) => void): void } }).pool;
  const getConnection = pool.getConnection.bind(pool);
  pool.getConnection = (cb) =>
    getConnection((error, connection) => {
      const counted = connection as CountedConnection | undefined;
      if (counted && !counted.counted) {
        const query = counted.query.bind(counted);
        counted.query = (...args: unknown[]) => {
          const sql = args[0];
          log.sent?.push(typeof sql === 'string' ? sql : String((sql as { sql?: unknown }).sql));
          return query(...args);
        };
        counted.counted = true;
      }
      cb(error, connection);
    });
  return log;
}

describe.each([
  ['MariaDB', true],
  ['SQLite', false],
])('batchedTransaction on %s', (_dialect, mariadb) => {
  let database: TestDatabase | undefined;
  let dataSource: DataSource;
  let rows: EntityRows<EntryEntity>;
  let log: { sent?: string[] } = {};
  let sequence = 0;
  const id = () => `00000000-0000-4000-8000-${String(++sequence).padStart(12, '0')}`;
  const bodies = async (ids: string[]) =>
    (await dataSource.getRepository(EntryEntity).findBy(ids.map((entryId) => ({ id: entryId })))).map((entry) => entry.body).sort();

  beforeAll(async () => {
    database = mariadb ? await createTestDatabase('persistence_batched_transaction') : undefined;
    dataSource = await openDatabase({
      url: database?.url,
      sqliteFile: ':memory:',
      entities: [EntryEntity],
      migrations: [Entries1700000000001],
    });
    rows = new EntityRows(dataSource, EntryEntity);
    if (mariadb) log = countRoundTrips(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('commits the rows inserted later, and a read in the transaction sees them first', async () => {
    const [a, b] = [id(), id()];
    const seen = await batchedTransaction(dataSource, async (manager) => {
      await rows.insertLater(manager, { id: a, body: 'first; with a ? and a quote\'s "mark"' });
      const read = await rows.findOneBy(manager, { id: a });
      await rows.insertLater(manager, { id: b, body: 'second' });
      return read?.body;
    });
    expect(seen).toBe('first; with a ? and a quote\'s "mark"');
    expect(await bodies([a, b])).toEqual(['first; with a ? and a quote\'s "mark"', 'second']);
  });

  it('leaves nothing of a transaction whose work fails after rows inserted later', async () => {
    const [a, b] = [id(), id()];
    await expect(
      batchedTransaction(dataSource, async (manager) => {
        await rows.insert(manager, { id: a, body: 'at once' });
        await rows.insertLater(manager, { id: b, body: 'later' });
        throw new Error('refused by a rule');
      }),
    ).rejects.toThrow('refused by a rule');
    expect(await bodies([a, b])).toEqual([]);
  });

  it('fails the transaction, and keeps none of it, when a row inserted later cannot be written', async () => {
    const taken = id();
    await rows.insert(dataSource.manager, { id: taken, body: 'already there' });
    const fresh = id();
    await expect(
      batchedTransaction(dataSource, async (manager) => {
        await rows.insert(manager, { id: fresh, body: 'at once' });
        await rows.insertLater(manager, { id: taken, body: 'a duplicate' });
      }),
    ).rejects.toBeInstanceOf(QueryFailedError);
    expect(await bodies([taken, fresh])).toEqual(['already there']);
  });

  it('keeps the transaction going past an insert the caller refuses at once (a duplicate key it handles)', async () => {
    const taken = id();
    await rows.insert(dataSource.manager, { id: taken, body: 'already there' });
    const fresh = id();
    const duplicate = await batchedTransaction(dataSource, async (manager) => {
      const refused = await rows.insert(manager, { id: taken, body: 'again' }).then(
        () => false,
        (error: unknown) => error instanceof QueryFailedError,
      );
      await rows.insertLater(manager, { id: fresh, body: 'written' });
      return refused;
    });
    expect(duplicate).toBe(true);
    expect(await bodies([taken, fresh])).toEqual(['already there', 'written']);
  });

  it("turns a row inserted later's own failure into the caller's error, whenever it shows, and keeps none of the transaction", async () => {
    const taken = id();
    await rows.insert(dataSource.manager, { id: taken, body: 'already there' });
    const [first, other] = [id(), id()];
    class Taken extends Error {}
    // MariaDB's message names the duplicate value, which tells two waiting rows apart; SQLite runs each at once.
    const ownFailure = (entryId: string) => (error: unknown) =>
      isDuplicateKeyError(error, entryId) || isDuplicateKeyError(error, 'entries.id') ? new Taken(entryId) : undefined;
    const attempt = batchedTransaction(dataSource, async (manager) => {
      await rows.insertLater(manager, { id: first, body: 'fresh' }, ownFailure(first));
      // On MariaDB the duplicate shows only with COMMIT (it rode with it); on SQLite at once.
      await rows.insertLater(manager, { id: taken, body: 'a duplicate' }, ownFailure(taken));
      await rows.insertLater(manager, { id: other, body: 'never kept' });
    });
    await expect(attempt).rejects.toEqual(new Taken(taken));
    expect(await bodies([taken, first, other])).toEqual(['already there']);
  });

  it('leaves a failure that no waiting row recognises as the database gave it', async () => {
    const taken = id();
    await rows.insert(dataSource.manager, { id: taken, body: 'already there' });
    const attempt = batchedTransaction(dataSource, async (manager) => {
      await rows.insertLater(manager, { id: taken, body: 'a duplicate' }, (error) =>
        isDuplicateKeyError(error, 'some other value') ? new Error('not this one') : undefined,
      );
    });
    await expect(attempt).rejects.toBeInstanceOf(QueryFailedError);
  });

  it('updates later where it can (the count unknown then) and at once elsewhere, with the same rows in the end', async () => {
    const entry = id();
    await rows.insert(dataSource.manager, { id: entry, body: 'before' });
    const [matched, missed] = await batchedTransaction(dataSource, async (manager) => [
      await rows.updateLater(manager, { id: entry, body: 'before' }, { body: 'after' }),
      await rows.updateLater(manager, { id: entry, body: 'no such body' }, { body: 'never' }),
    ]);
    expect([matched, missed]).toEqual(mariadb ? [undefined, undefined] : [1, 0]);
    expect(await bodies([entry])).toEqual(['after']);
    // Outside a transaction nothing waits: the count is known.
    expect(await rows.updateLater(dataSource.manager, { id: entry }, { body: 'again' })).toBe(1);
  });

  if (mariadb) {
    it('sends a transaction in fewer round trips: START with the first statement, the waiting rows with COMMIT', async () => {
      log.sent = [];
      const [a, b, c] = [id(), id(), id()];
      await batchedTransaction(dataSource, async (manager) => {
        await rows.insertLater(manager, { id: a, body: 'a' });
        expect(await rows.update(manager, { id: a }, { body: 'a, changed' })).toBe(1);
        await rows.insertLater(manager, { id: b, body: 'b' });
        await rows.insertLater(manager, { id: c, body: 'c' });
      });
      expect(log.sent).toHaveLength(2);
      expect(log.sent?.[0]).toMatch(/^START TRANSACTION;\nINSERT INTO `entries`[^;]*;\nUPDATE `entries`/);
      expect(log.sent?.[1]).toMatch(/^INSERT INTO `entries`.*;\nINSERT INTO `entries`.*;\nCOMMIT$/s);
      expect(await bodies([a, b, c])).toEqual(['a, changed', 'b', 'c']);
    });

    it('sends nothing for a transaction refused before its first statement', async () => {
      log.sent = [];
      const entry = id();
      await expect(
        batchedTransaction(dataSource, async (manager) => {
          await rows.insertLater(manager, { id: entry, body: 'never sent' });
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      expect(log.sent).toEqual([]);
      expect(await bodies([entry])).toEqual([]);
    });
  }
});

/** DATABASE_BATCH_STATEMENTS=false: for a proxy that cannot take multi-statement queries. */
describe('batchedTransaction on MariaDB with batching turned off', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let log: { sent?: string[] };

  beforeAll(async () => {
    database = await createTestDatabase('persistence_unbatched_transaction');
    dataSource = await openDatabase({
      url: database.url,
      sqliteFile: ':memory:',
      entities: [EntryEntity],
      migrations: [Entries1700000000001],
      batchStatements: false,
    });
    log = countRoundTrips(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('sends every statement on its own and commits the same rows', async () => {
    const rows = new EntityRows(dataSource, EntryEntity);
    log.sent = [];
    await batchedTransaction(dataSource, async (manager) => {
      await rows.insertLater(manager, { id: '10000000-0000-4000-8000-000000000001', body: 'a; b' });
      await rows.insertLater(manager, { id: '10000000-0000-4000-8000-000000000002', body: 'c' });
    });
    expect(log.sent).toEqual(['START TRANSACTION', expect.stringMatching(/^INSERT/), expect.stringMatching(/^INSERT/), 'COMMIT']);
    expect((await dataSource.getRepository(EntryEntity).find()).map((entry) => entry.body).sort()).toEqual(['a; b', 'c']);
  });
});
