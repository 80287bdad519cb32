import type { Transaction } from '@enforcement/events';
import type { IdempotencyKeyEntity } from './idempotency-key.entity';
import type { IdempotencyKeyRepository } from './idempotency-key.repository';
import { IdempotencyService } from './idempotency.service';
import { idempotentRequest, type IdempotentRequest } from './idempotent-request';

/** The repository's rows in memory: a unit test of the rules, MariaDB's behaviour is idempotent-steps.integration-spec.ts's. */
class KeptInMemory {
  readonly rows = new Map<string, IdempotencyKeyEntity>();
  async find(keyHash: string) {
    return this.rows.get(keyHash) ?? null;
  }
  async keepIn(_manager: unknown, row: IdempotencyKeyEntity, taken: () => Error) {
    if (this.rows.has(row.keyHash)) throw taken();
    this.rows.set(row.keyHash, row);
  }
  async forget(keyHash: string) {
    this.rows.delete(keyHash);
  }
  async forgetExpired(now: Date) {
    for (const [hash, row] of this.rows) if (row.expiresAt <= now) this.rows.delete(hash);
  }
}

const CASE = '0b7f6c1e-0000-4000-8000-000000000001';
const ROUTE = 'POST /cases/:caseId/steps';
const ask = (key: string | undefined, body: unknown, callerId = 'officer-a') =>
  idempotentRequest({ headers: key === undefined ? {} : { 'idempotency-key': key }, body }, { callerId, route: ROUTE, caseId: CASE });
const tx = { manager: {} } as Transaction;

describe('idempotentRequest', () => {
  it('is undefined without a key, and binds a key to its caller and what was asked', () => {
    expect(ask(undefined, {})).toBeUndefined();
    const mine = ask('key-00000001', { stepType: 'other', text: 'a' });
    expect(ask('key-00000001', { text: 'a', stepType: 'other' })).toEqual(mine);
    expect(ask('key-00000001', { stepType: 'other', text: 'a' }, 'officer-b')?.keyHash).not.toBe(mine?.keyHash);
    expect(ask('key-00000001', { stepType: 'other', text: 'b' })?.fingerprint).not.toBe(mine?.fingerprint);
    expect(ask('key-00000002', { stepType: 'other', text: 'a' })?.keyHash).not.toBe(mine?.keyHash);
  });

  it.each([['short'], ['with space 1'], ['x'.repeat(65)], ['a/b/c/d/e'], ['key-00000001, key-00000002']])(
    'refuses %j as IDEMPOTENCY_KEY_INVALID',
    (key) => {
      expect(() => ask(key, {})).toThrow(expect.objectContaining({ code: 'IDEMPOTENCY_KEY_INVALID', kind: 'invalid' }));
    },
  );
});

describe('IdempotencyService', () => {
  let kept: KeptInMemory;
  let service: IdempotencyService;
  let created: number;
  const replay = async (_caseId: string | null, resultId: string) => ({ id: resultId, replayed: true });
  const act = (request: IdempotentRequest | undefined) =>
    service.once(request, replay, async (keep) => {
      const result = { id: `record-${++created}`, replayed: false };
      await keep(tx, result);
      return result;
    });

  beforeEach(() => {
    kept = new KeptInMemory();
    service = new IdempotencyService(kept as unknown as IdempotencyKeyRepository);
    created = 0;
  });

  it('acts every time without a key, keeping nothing', async () => {
    await act(undefined);
    await act(undefined);
    expect([created, kept.rows.size]).toEqual([2, 0]);
  });

  it('acts once under a key and answers the same request again with what it created', async () => {
    const request = ask('key-00000001', { text: 'a' });
    const first = await act(request);
    const again = await act(request);
    expect(first).toEqual({ id: 'record-1', replayed: false });
    expect(again).toEqual({ id: 'record-1', replayed: true });
    expect(created).toBe(1);
  });

  it('refuses the key with another request, acting on nothing', async () => {
    await act(ask('key-00000001', { text: 'a' }));
    await expect(act(ask('key-00000001', { text: 'b' }))).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', kind: 'refused' });
    expect(created).toBe(1);
  });

  it("answers with the twin's result when the action failed because a twin kept the key, and rethrows otherwise", async () => {
    const request = ask('key-00000001', { text: 'a' }) as IdempotentRequest;
    const twinCommitted = () =>
      service.once(request, replay, async () => {
        // The twin commits between this request's lookup and its own commit.
        await kept.keepIn(undefined, { ...keptRow(request), resultId: 'record-twin' }, () => new Error('unexpected'));
        throw new Error('CONCURRENT_CHANGE');
      });
    await expect(twinCommitted()).resolves.toEqual({ id: 'record-twin', replayed: true });

    const failing = service.once(ask('key-00000002', { text: 'a' }), replay, async () => {
      throw new Error('the database is down');
    });
    await expect(failing).rejects.toThrow('the database is down');
  });

  it('treats a key past its lifetime as new', async () => {
    const request = ask('key-00000001', { text: 'a' }) as IdempotentRequest;
    kept.rows.set(request.keyHash, { ...keptRow(request), resultId: 'record-old', expiresAt: new Date(Date.now() - 1) });
    expect(await act(request)).toEqual({ id: 'record-1', replayed: false });
  });
});

function keptRow(request: IdempotentRequest): IdempotencyKeyEntity {
  return {
    keyHash: request.keyHash,
    callerId: request.callerId,
    route: request.route,
    fingerprint: request.fingerprint,
    caseId: request.caseId,
    resultId: 'record-x',
    createdAt: new Date(),
    expiresAt: new Date(Date.now() + 60_000),
  };
}
