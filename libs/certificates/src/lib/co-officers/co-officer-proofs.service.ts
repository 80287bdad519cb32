import { Injectable, Optional } from '@nestjs/common';
import { bearerToken, TokenRejectedError, TokenVerifier, type AuthenticatedUser, type VerifiedTokenFacts } from '@enforcement/auth';
import { isTransientDatabaseError } from '@enforcement/persistence';
import { createHash } from 'node:crypto';
import { QueryFailedError, type EntityManager } from 'typeorm';
import type { CertificateRefusal } from '../check/certificate-checker';
import { PENALTY_LAW_ART_42 } from '../check/certificate-refusal-code';
import type { CoOfficerProofEntity } from './co-officer-proof.entity';
import { CoOfficerProofRepository } from './co-officer-proof.repository';

/** Where each co-officer's own bearer token travels with the action, comma-separated. */
export const CO_OFFICER_TOKENS_HEADER = 'x-co-officer-tokens';

/** A proof must be minted this recently: the co-officer confirms being there now, not some time today. */
export const DEFAULT_CO_OFFICER_PROOF_MAX_AGE_SECONDS = 600;

/** Tokens from a clock a little ahead of ours are still fresh. */
const CLOCK_TOLERANCE_SECONDS = 30;
const MAX_PROOFS = 20;
/** Spent proofs are swept at most this often per process; an expired token is refused anyway. */
const FORGET_INTERVAL_MS = 60_000;

export interface CoOfficerProofRequest {
  caller: AuthenticatedUser;
  /** The caller's own `Authorization` header, so the same token cannot stand for a co-officer too. */
  authorization: string | string[] | undefined;
  /** The raw header value(s) with the proofs. */
  proofs: string | string[] | undefined;
  /** Officers named as acting with the caller (the caller and duplicates are ignored here). */
  coOfficerIds: readonly string[];
  /** Agencies whose officers may act: the case's and any assisting agency recorded on it. */
  agencyIds: readonly string[];
  route: string;
}

type ProofProblem = { officerId?: string; reason: string };

/**
 * Proofs verified for one action and not spent yet: the handler spends them in the transaction that records the
 * action (CoOfficerProofsService.spendIn). `action` is what the refusal log keeps should one turn out spent meanwhile.
 */
export interface UnspentCoOfficerProofs {
  readonly rows: readonly CoOfficerProofEntity[];
  readonly action: { officerIds: readonly string[]; domain: string; regionCode: string; onSite: boolean };
  /** Set once spendIn wrote them (in a transaction that may still roll back). */
  spent: boolean;
  /** Set by setAside: the request acted on nothing, so the proofs confirmed nothing and stay unspent. */
  setAside?: boolean;
}

/** A proof was spent by another action between the check and the action's own transaction: refused, nothing written. */
export class CoOfficerProofReusedError extends Error {
  constructor(readonly refusal: CertificateRefusal) {
    super(`co-officer proof of ${refusal.officerId ?? '?'} already spent`);
  }
}

const MESSAGES = {
  CO_OFFICER_UNCONFIRMED: '协同执法人员未以本人的登录凭证确认在场，本次执法行为不予记录',
  CO_OFFICER_PROOF_INVALID: '协同执法人员的在场确认凭证无效，请由该执法人员本人重新获取',
  CO_OFFICER_PROOF_REUSED: '协同执法人员的在场确认凭证已使用过，每个凭证只能确认一次执法行为，请重新获取',
} as const;

/**
 * Art. 42: every officer who acts proves it with their own credential. The caller names their co-officers; each
 * of them sends their own bearer token (X-Co-Officer-Tokens), verified like any bearer token (issuer, audience,
 * keys, expiry, lifetime), for the named officer, of an agency that may act, minted within the last
 * `maxAgeSeconds` and spent once (its `jti` is recorded), so a captured proof confirms at most one action.
 */
@Injectable()
export class CoOfficerProofsService {
  private lastForgotten = 0;

  constructor(
    private readonly spent: CoOfficerProofRepository,
    @Optional() private readonly verifier?: TokenVerifier,
  ) {}

  /** Undefined when every co-officer confirmed (their proofs are spent then), else the refusal. */
  async confirm(input: CoOfficerProofRequest, maxAgeSeconds: number, now: Date): Promise<CertificateRefusal | undefined> {
    const verified = await this.verify(input, maxAgeSeconds, now);
    if (!Array.isArray(verified)) return verified;
    const reused = verified.length === 0 ? undefined : await this.spent.spend(verified);
    return reused === undefined ? undefined : reusedRefusal(verified, reused);
  }

  /**
   * The rows that spend the proofs once written (none when no co-officer is named), or the refusal. Nothing is
   * written here but the sweep of expired proofs.
   */
  async verify(input: CoOfficerProofRequest, maxAgeSeconds: number, now: Date): Promise<CoOfficerProofEntity[] | CertificateRefusal> {
    const required = [...new Set(input.coOfficerIds)].filter((id) => id !== input.caller.userId);
    const tokens = proofTokens(input.proofs);
    if (required.length === 0 && tokens.length === 0) return [];
    // Fail closed: a service that names co-officers but cannot check tokens is wired wrongly.
    if (!this.verifier) throw new Error('co-officer proofs need the TokenVerifier (AuthModule)');
    if (tokens.length > MAX_PROOFS) return invalid({ reason: `at most ${MAX_PROOFS} proofs` });

    const callerToken = bearerToken(input.authorization);
    const confirmed = new Map<string, VerifiedTokenFacts>();
    for (const token of tokens) {
      const problem =
        token === callerToken
          ? { reason: "the caller's own token" }
          : await this.problemOf(token, input, required, confirmed, now, maxAgeSeconds);
      if (problem) return invalid(problem);
    }
    const missing = required.find((id) => !confirmed.has(id));
    if (missing !== undefined) {
      return {
        ok: false,
        code: 'CO_OFFICER_UNCONFIRMED',
        message: MESSAGES.CO_OFFICER_UNCONFIRMED,
        officerId: missing,
        article: PENALTY_LAW_ART_42,
      };
    }
    await this.forgetExpired(now);
    return [...confirmed].map(([officerId, facts]) => ({
      tokenKey: createHash('sha256')
        .update(facts.tokenId ?? '')
        .digest('hex'),
      officerId,
      callerId: input.caller.userId,
      route: input.route,
      usedAt: now,
      expiresAt: new Date(facts.expiresAt * 1000),
    }));
  }

  /**
   * Spends verified proofs in the action's own transaction, so they are spent exactly when the action is recorded.
   * Fails the transaction with CoOfficerProofReusedError when one was spent meanwhile: at once, or in a batched
   * transaction with its next statement, which the proofs' inserts wait for. A second transaction spending the
   * same proof waits on the first's row and is refused once it commits (or goes ahead if it rolled back).
   */
  async spendIn(manager: EntityManager, proofs: UnspentCoOfficerProofs): Promise<void> {
    if (proofs.rows.length > 0) {
      await this.spent.spendIn(manager, proofs.rows, (tokenKey) => new CoOfficerProofReusedError(reusedRefusal(proofs.rows, tokenKey)));
    }
    proofs.spent = true;
  }

  /**
   * Leaves the proofs unspent on a request that acts on nothing: one answered with what an earlier identical request
   * did (a retry under its Idempotency-Key). They confirm no action, so spending them would only refuse the action
   * they were minted for; the handler must still spend them on any request that does act.
   */
  setAside(proofs: UnspentCoOfficerProofs): void {
    proofs.setAside = true;
  }

  /**
   * spendIn, then the action, in its transaction. In a batched transaction the proofs' inserts ride with the
   * action's first statement or its COMMIT (a round trip fewer per step). An action its own rules refuse then sent
   * nothing; the waiting inserts still go to the database before the refusal ends the transaction, so a replayed
   * proof is refused as such, and kept for supervisors, whatever else is wrong with the action: as when the
   * proofs were written first. Not after a database error, which may have ended the transaction already.
   */
  async spendWith<T>(manager: EntityManager, proofs: UnspentCoOfficerProofs, action: () => Promise<T>): Promise<T> {
    await this.spendIn(manager, proofs);
    try {
      return await action();
    } catch (error) {
      const refusedByRules = !(
        error instanceof CoOfficerProofReusedError ||
        error instanceof QueryFailedError ||
        isTransientDatabaseError(error)
      );
      if (proofs.rows.length > 0 && refusedByRules) await this.replayFirst(manager);
      throw error;
    }
  }

  /** A spent proof's waiting insert, sent now, fails as CoOfficerProofReusedError; any other failure leaves the action's refusal. */
  private async replayFirst(manager: EntityManager): Promise<void> {
    try {
      await this.spent.sendWaitingIn(manager);
    } catch (error) {
      if (error instanceof CoOfficerProofReusedError) throw error;
    }
  }

  private async problemOf(
    token: string,
    input: CoOfficerProofRequest,
    required: readonly string[],
    confirmed: Map<string, VerifiedTokenFacts>,
    now: Date,
    maxAgeSeconds: number,
  ): Promise<ProofProblem | undefined> {
    let facts: VerifiedTokenFacts;
    try {
      facts = await (this.verifier as TokenVerifier).verifyToken(token, { oneShot: true });
    } catch (error) {
      if (error instanceof TokenRejectedError) return { reason: error.code };
      throw error;
    }
    const officerId = facts.user.userId;
    if (officerId === input.caller.userId) return { officerId, reason: "the caller's own token" };
    if (!required.includes(officerId)) return { officerId, reason: 'not a named co-officer' };
    if (confirmed.has(officerId)) return { officerId, reason: 'two proofs for one officer' };
    if (!input.agencyIds.includes(facts.user.agencyId)) return { officerId, reason: 'an agency that does not act in this case' };
    if (!facts.user.roles.includes('officer')) return { officerId, reason: 'not an officer' };
    if (facts.tokenId === undefined || facts.tokenId.length === 0) return { officerId, reason: 'no jti: the token cannot be spent once' };
    const age = now.getTime() / 1000 - (facts.issuedAt ?? 0);
    if (facts.issuedAt === undefined || age > maxAgeSeconds + CLOCK_TOLERANCE_SECONDS) {
      return { officerId, reason: `issued more than ${maxAgeSeconds} s ago` };
    }
    confirmed.set(officerId, facts);
    return undefined;
  }

  private async forgetExpired(now: Date): Promise<void> {
    if (now.getTime() - this.lastForgotten < FORGET_INTERVAL_MS) return;
    this.lastForgotten = now.getTime();
    // Keep a token's row past its expiry by the verifier's tolerance, so it is refused as expired, never accepted twice.
    await this.spent.forgetExpired(new Date(now.getTime() - 2 * CLOCK_TOLERANCE_SECONDS * 1000));
  }
}

function reusedRefusal(rows: readonly CoOfficerProofEntity[], reusedKey: string): CertificateRefusal {
  return {
    ok: false,
    code: 'CO_OFFICER_PROOF_REUSED',
    message: MESSAGES.CO_OFFICER_PROOF_REUSED,
    officerId: rows.find((row) => row.tokenKey === reusedKey)?.officerId,
    article: PENALTY_LAW_ART_42,
  };
}

function invalid(problem: ProofProblem): CertificateRefusal {
  return {
    ok: false,
    code: 'CO_OFFICER_PROOF_INVALID',
    message: MESSAGES.CO_OFFICER_PROOF_INVALID,
    ...(problem.officerId === undefined ? {} : { officerId: problem.officerId }),
    reason: problem.reason,
    article: PENALTY_LAW_ART_42,
  };
}

/** Tokens from one header or several (Node joins repeated headers with ", "); JWTs hold no commas or spaces. */
function proofTokens(value: string | string[] | undefined): string[] {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return joined.split(/[\s,]+/).filter((token) => token.length > 0);
}
