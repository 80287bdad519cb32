import { Injectable } from '@nestjs/common';
import type { Transaction } from '@enforcement/events';
import { IdempotencyKeyRepository } from './idempotency-key.repository';
import { keyReusedError, type IdempotentRequest } from './idempotent-request';

/** How long a key answers its request again: longer than any client retries, short enough to keep the table small. */
export const IDEMPOTENCY_KEY_LIFETIME_MS = 24 * 60 * 60_000;
const FORGET_INTERVAL_MS = 10 * 60_000;

/** Keeps, in the action's own transaction, the key and what the action created. */
export type KeepKey = (tx: Transaction, result: { id: string }) => Promise<void>;

/**
 * A request sent again under the same Idempotency-Key is answered with what the first one created, and applied
 * once: a step whose answer was lost on the way back is not recorded twice when the officer's device retries.
 */
@Injectable()
export class IdempotencyService {
  private lastForgotten = 0;

  constructor(private readonly keys: IdempotencyKeyRepository) {}

  /**
   * `act` applies the request and keeps the key with `keep`; `replay` reads again what a request under the same key
   * created. Without a key, `act` alone. A twin request that kept the key while this one was applied (both sent at
   * once) fails this one's transaction, which is then answered as a replay.
   */
  async once<T>(
    request: IdempotentRequest | undefined,
    replay: (caseId: string | null, resultId: string) => Promise<T>,
    act: (keep: KeepKey) => Promise<T>,
  ): Promise<T> {
    if (!request) return act(async () => undefined);
    const answered = await this.answered(request, replay);
    if (answered.found) return answered.result;
    await this.forgetExpired();
    try {
      return await act((tx, result) => this.keys.keepIn(tx.manager, this.row(request, result.id), () => new KeyTaken()));
    } catch (error) {
      // Whatever refused this one (its twin's spent proof, the chain head it moved, the key itself), the twin's result is the answer.
      const twin = await this.answered(request, replay);
      if (twin.found) return twin.result;
      throw error;
    }
  }

  private async answered<T>(
    request: IdempotentRequest,
    replay: (caseId: string | null, resultId: string) => Promise<T>,
  ): Promise<{ found: true; result: T } | { found: false }> {
    const kept = await this.keys.find(request.keyHash);
    if (!kept) return { found: false };
    if (kept.expiresAt.getTime() <= Date.now()) {
      // Past its lifetime a key is new again (the sweep may not have come by yet).
      await this.keys.forget(kept.keyHash);
      return { found: false };
    }
    if (kept.fingerprint !== request.fingerprint) throw keyReusedError();
    return { found: true, result: await replay(kept.caseId, kept.resultId) };
  }

  private row(request: IdempotentRequest, resultId: string) {
    const createdAt = new Date();
    return {
      keyHash: request.keyHash,
      callerId: request.callerId,
      route: request.route,
      fingerprint: request.fingerprint,
      caseId: request.caseId,
      resultId,
      createdAt,
      expiresAt: new Date(createdAt.getTime() + IDEMPOTENCY_KEY_LIFETIME_MS),
    };
  }

  private async forgetExpired(): Promise<void> {
    const now = Date.now();
    if (now - this.lastForgotten < FORGET_INTERVAL_MS) return;
    this.lastForgotten = now;
    await this.keys.forgetExpired(new Date(now));
  }
}

/** The key was kept by a twin request meanwhile: this one's transaction ends, and the twin's result answers it. */
class KeyTaken extends Error {
  constructor() {
    super('idempotency key kept by a twin request');
  }
}
