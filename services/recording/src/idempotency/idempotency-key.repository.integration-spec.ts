import { batchedTransaction, openDatabase } from '@enforcement/persistence';
import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import type { DataSource } from 'typeorm';
import { IdempotencyKeys1764900001000 } from '../migrations/1764900001000-idempotency-keys';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { IdempotencyKeyRepository } from './idempotency-key.repository';

const row = (keyHash: string, expiresAt = new Date(Date.now() + 60_000)): IdempotencyKeyEntity => ({
  keyHash,
  callerId: 'officer-a',
  route: 'POST /cases/:caseId/steps',
  fingerprint: 'f'.repeat(64),
  caseId: null,
  resultId: '0b7f6c1e-0000-4000-8000-000000000001',
  createdAt: new Date('2026-12-01T03:00:00.123Z'),
  expiresAt,
});

class Taken extends Error {}

/** The kept keys on both dialects: MariaDB as deployed (a batched transaction), SQLite as `npm start` runs. */
describe.each([
  ['MariaDB', true],
  ['SQLite', false],
])('IdempotencyKeyRepository on %s', (_dialect, mariadb) => {
  let database: TestDatabase | undefined;
  let dataSource: DataSource;
  let keys: IdempotencyKeyRepository;

  beforeAll(async () => {
    database = mariadb ? await createTestDatabase('recording_idempotency_keys') : undefined;
    dataSource = await openDatabase({
      url: database?.url,
      sqliteFile: ':memory:',
      entities: [IdempotencyKeyEntity],
      migrations: [IdempotencyKeys1764900001000],
    });
    keys = new IdempotencyKeyRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  beforeEach(() => dataSource.query('DELETE FROM idempotency_keys'));

  it('keeps a key with the transaction and finds it after the commit; a key kept already fails the second transaction as taken', async () => {
    await batchedTransaction(dataSource, (manager) => keys.keepIn(manager, row('a'.repeat(64)), () => new Taken()));
    expect(await keys.find('a'.repeat(64))).toMatchObject({ resultId: row('a').resultId, caseId: null });

    const twin = batchedTransaction(dataSource, async (manager) => {
      await keys.keepIn(manager, { ...row('a'.repeat(64)), resultId: 'another' }, () => new Taken());
      // What rides with the key (a batched transaction sends it with the next statement) fails with it.
      await manager.query('SELECT 1');
    });
    await expect(twin).rejects.toBeInstanceOf(Taken);
    expect((await keys.find('a'.repeat(64)))?.resultId).toBe(row('a').resultId);
  });

  it('keeps nothing when the transaction rolls back', async () => {
    const failed = batchedTransaction(dataSource, async (manager) => {
      await keys.keepIn(manager, row('b'.repeat(64)), () => new Taken());
      throw new Error('the step was refused');
    });
    await expect(failed).rejects.toThrow('the step was refused');
    expect(await keys.find('b'.repeat(64))).toBeNull();
  });

  it('forgets one key, and the expired ones', async () => {
    await keys.keepIn(dataSource.manager, row('c'.repeat(64)), () => new Taken());
    await keys.keepIn(dataSource.manager, row('d'.repeat(64), new Date(Date.now() - 1000)), () => new Taken());
    await keys.keepIn(dataSource.manager, row('e'.repeat(64)), () => new Taken());

    await keys.forgetExpired(new Date());
    await keys.forget('e'.repeat(64));

    expect([await keys.find('c'.repeat(64)), await keys.find('d'.repeat(64)), await keys.find('e'.repeat(64))]).toEqual([
      expect.objectContaining({ keyHash: 'c'.repeat(64) }),
      null,
      null,
    ]);
  });

  it('has a migration whose down() drops the table', async () => {
    const runner = dataSource.createQueryRunner();
    try {
      await new IdempotencyKeys1764900001000().down(runner);
      expect(await runner.hasTable('idempotency_keys')).toBe(false);
      await new IdempotencyKeys1764900001000().up(runner);
      expect(await runner.hasTable('idempotency_keys')).toBe(true);
    } finally {
      await runner.release();
    }
  });
});
