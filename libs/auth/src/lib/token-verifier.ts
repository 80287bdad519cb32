import { createPublicKey, KeyObject } from 'node:crypto';
import {
  createRemoteJWKSet,
  errors,
  importSPKI,
  jwtVerify,
  type CryptoKey,
  type FlattenedJWSInput,
  type JWSHeaderParameters,
  type JWTPayload,
} from 'jose';
import { KeySourceUnavailableError, TokenRejectedError } from './auth-errors';
import type { AuthConfig, AuthenticatedUser } from './authenticated-user';
import { verifiesWithNodeCrypto, verifyCompactJwt } from './compact-jwt';
import { LOCAL_ISSUER_ALG, LocalIssuer } from './local-issuer';
import { userFromClaims } from './token-claims';

/** Tokens from a clock a little ahead or behind ours are still accepted. */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** A leaked token is usable for its whole validity: one working day at the most, whatever the issuer allows. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 12 * 3600;

/**
 * Signature algorithms accepted from a JWKS. Asymmetric only: with HS* anyone holding the verification key
 * could mint tokens, and `none` is no signature at all.
 */
export const ASYMMETRIC_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
] as const;

type KeyResolver = (header: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<CryptoKey>;

/** The key that checks every token, known in advance: node:crypto verifies its signatures (verifyCompactJwt). */
interface FixedKey {
  key: KeyObject;
  /** Looks at a token's header before its signature is checked. */
  header?: (header: Readonly<Record<string, unknown>>) => void;
}

/** Keys found per token by jose (a JWKS, an RSA PEM), or one key known in advance (an EC or Ed25519 PEM, the local issuer). */
type KeySource = { algorithms: string[] } & ({ getKey: KeyResolver } | { fixedKey: () => Promise<FixedKey> });

/**
 * Jose errors that mean "no key fits this token" rather than "could not get usable keys"; the rest (fetch
 * failures, timeouts, a malformed key set) are the identity provider's fault, not the caller's.
 */
const TOKEN_SIDE_JWKS_ERRORS = [
  errors.JWKSNoMatchingKey,
  errors.JWKSMultipleMatchingKeys,
  errors.JOSEAlgNotAllowed,
  errors.JOSENotSupported,
];

/**
 * How long a verified token is trusted without checking its signature again: a key withdrawn from the identity
 * provider's key set stops working for tokens already seen within this time, not at their expiry.
 */
export const VERIFIED_TOKEN_REUSE_SECONDS = 300;

/** Tokens remembered as verified; the oldest are forgotten first (one client's burst must not grow memory). */
export const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

/** What a verified token says beyond the user: enough to tell one token from another and how fresh it is. */
export interface VerifiedTokenFacts {
  user: AuthenticatedUser;
  /** The `jti` claim, when the issuer sets one. */
  tokenId?: string;
  /** The `iat` claim in epoch seconds, when present. */
  issuedAt?: number;
  /** The `exp` claim in epoch seconds. */
  expiresAt: number;
}

interface VerifiedToken extends VerifiedTokenFacts {
  /** Epoch ms after which the token must be verified again (its expiry with the skew tolerance, or the reuse limit). */
  trustedUntil: number;
}

/**
 * Verifies bearer tokens and maps their claims to the platform user.
 * Throws TokenRejectedError when the token is at fault, KeySourceUnavailableError when the keys are.
 *
 * A client sends the same token with every request; its signature check (an ECDSA or RSA verification) was a
 * twentieth of a recorded step's CPU. A token verified once is trusted as long as it is valid, for at most
 * VERIFIED_TOKEN_REUSE_SECONDS; only exact byte-equal tokens hit, so a tampered copy is verified in full.
 */
export class TokenVerifier {
  private readonly keySource: KeySource;
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(
    private readonly config: AuthConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.keySource = keySourceFor(config);
  }

  /** How many verified tokens are remembered now (at most VERIFIED_TOKEN_CACHE_SIZE). */
  get rememberedTokens(): number {
    return this.verified.size;
  }

  async verify(token: string): Promise<AuthenticatedUser> {
    return (await this.verifyToken(token)).user;
  }

  /**
   * Verifies like verify() and also says which token it was and when it was issued (e.g. to use it only once).
   * `oneShot`: a token sent once (a co-officer's proof of presence) is verified in full and not remembered, so a
   * stream of them never pushes the callers' own tokens out of memory nor holds memory for tokens never seen again.
   */
  async verifyToken(token: string, { oneShot = false }: { oneShot?: boolean } = {}): Promise<VerifiedTokenFacts> {
    const now = this.now();
    const known = oneShot ? undefined : this.verified.get(token);
    if (known !== undefined) {
      if (now <= known.trustedUntil) return factsOf(known);
      this.verified.delete(token);
    }
    let payload: JWTPayload;
    try {
      payload = await this.checked(token, now);
    } catch (error) {
      throw classify(error);
    }
    this.assertLifetime(payload, now);
    const mapped = userFromClaims(payload);
    if (!mapped.ok) throw new TokenRejectedError('TOKEN_INVALID', mapped.problem);
    const facts: VerifiedTokenFacts = {
      user: mapped.user,
      expiresAt: payload.exp ?? 0,
      ...(typeof payload.jti === 'string' ? { tokenId: payload.jti } : {}),
      ...(typeof payload.iat === 'number' ? { issuedAt: payload.iat } : {}),
    };
    if (oneShot) return facts;
    this.remember(token, facts, now);
    return factsOf(facts);
  }

  /** The token's claims once its signature and claims hold: node:crypto for a key known in advance, else jose. */
  private async checked(token: string, now: number): Promise<JWTPayload> {
    const checks = {
      issuer: this.config.issuer,
      audience: this.config.audience,
      algorithms: this.keySource.algorithms,
      requiredClaims: ['exp', 'sub'],
    };
    if ('fixedKey' in this.keySource) {
      const { key, header } = await this.keySource.fixedKey();
      return verifyCompactJwt(token, key, { ...checks, clockToleranceSeconds: CLOCK_TOLERANCE_SECONDS, now, header });
    }
    const { payload } = await jwtVerify(token, this.keySource.getKey, {
      ...checks,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: new Date(now),
    });
    return payload;
  }

  private remember(token: string, facts: VerifiedTokenFacts, now: number): void {
    const expiresAt = (facts.expiresAt + CLOCK_TOLERANCE_SECONDS) * 1000;
    if (this.verified.size >= VERIFIED_TOKEN_CACHE_SIZE) {
      const oldest = this.verified.keys().next();
      if (!oldest.done) this.verified.delete(oldest.value);
    }
    this.verified.set(token, { ...factsOf(facts), trustedUntil: Math.min(expiresAt, now + VERIFIED_TOKEN_REUSE_SECONDS * 1000) });
  }

  /** Validity counted from its issue (or from now, for a token that does not say when it was issued). */
  private assertLifetime(payload: JWTPayload, now: number): void {
    const max = this.config.maxTokenLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
    const from = typeof payload.iat === 'number' ? payload.iat : Math.floor(now / 1000);
    const lifetime = (payload.exp ?? 0) - from;
    if (lifetime > max + CLOCK_TOLERANCE_SECONDS) {
      throw new TokenRejectedError('TOKEN_LIFETIME_EXCEEDED', `valid for ${lifetime} s, at most ${max} s accepted`);
    }
  }
}

/** Callers may add to the user they get (request.user); the remembered one stays as verified. */
function copyOf(user: AuthenticatedUser): AuthenticatedUser {
  return { ...user, roles: [...user.roles] };
}

function factsOf(facts: VerifiedTokenFacts): VerifiedTokenFacts {
  return {
    user: copyOf(facts.user),
    expiresAt: facts.expiresAt,
    ...(facts.tokenId === undefined ? {} : { tokenId: facts.tokenId }),
    ...(facts.issuedAt === undefined ? {} : { issuedAt: facts.issuedAt }),
  };
}

function classify(error: unknown): unknown {
  if (error instanceof KeySourceUnavailableError || error instanceof TokenRejectedError) return error;
  if (error instanceof errors.JWTExpired) return new TokenRejectedError('TOKEN_EXPIRED', error.message);
  if (error instanceof errors.JOSEError) return new TokenRejectedError('TOKEN_INVALID', `${error.code}: ${error.message}`);
  // Anything else is a fault of ours (a key file we cannot read, a bug), not the caller's: pass it on as is.
  return error;
}

function keySourceFor(config: AuthConfig): KeySource {
  const verification = config.verification;
  switch (verification.kind) {
    case 'jwks':
      return jwksKeySource(verification.url);
    case 'public-key':
      return publicKeySource(verification.pem);
    case 'local':
      return localKeySource(LocalIssuer.fromConfig(config));
  }
}

function jwksKeySource(url: string): KeySource {
  const remote = createRemoteJWKSet(new URL(url));
  return {
    algorithms: [...ASYMMETRIC_ALGORITHMS],
    getKey: async (header, token) => {
      try {
        return await remote(header, token);
      } catch (error) {
        if (TOKEN_SIDE_JWKS_ERRORS.some((type) => error instanceof type)) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        throw new KeySourceUnavailableError(`JWKS ${url}: ${reason}`, { cause: error });
      }
    },
  };
}

/** Which `alg` values a public key can verify; the key type decides, never the token. */
function algorithmsForKey(key: KeyObject): string[] {
  switch (key.asymmetricKeyType) {
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'prime256v1') return ['ES256'];
      if (curve === 'secp384r1') return ['ES384'];
      if (curve === 'secp521r1') return ['ES512'];
      throw new Error(`unsupported EC curve ${curve ?? '(unknown)'} for the auth public key`);
    }
    case 'ed25519':
      // "EdDSA" is the classic name, "Ed25519" the fully specified one (RFC 9864); both mean the same here.
      return ['EdDSA', 'Ed25519'];
    case 'rsa':
      return ['RS256', 'RS384', 'RS512'];
    default:
      throw new Error(`unsupported key type ${key.asymmetricKeyType ?? '(unknown)'} for the auth public key`);
  }
}

function publicKeySource(pem: string): KeySource {
  let keyObject: KeyObject;
  try {
    keyObject = createPublicKey(pem);
  } catch (error) {
    throw new Error('the auth public key is not a valid PEM public key', { cause: error });
  }
  const algorithms = algorithmsForKey(keyObject);
  if (verifiesWithNodeCrypto(keyObject)) {
    const fixed = { key: keyObject };
    return { algorithms, fixedKey: async () => fixed };
  }
  // A WebCrypto key is bound to one algorithm, so import once per accepted `alg`, on first use.
  const imported = new Map<string, Promise<CryptoKey>>();
  return {
    algorithms,
    getKey: async (header) => {
      const alg = header.alg;
      if (alg === undefined || !algorithms.includes(alg)) throw new errors.JOSEAlgNotAllowed('alg does not fit the key');
      let key = imported.get(alg);
      if (key === undefined) {
        key = importSPKI(pem, alg);
        imported.set(alg, key);
      }
      return key;
    },
  };
}

function localKeySource(issuer: LocalIssuer): KeySource {
  let fixed: Promise<FixedKey> | undefined;
  return {
    algorithms: [LOCAL_ISSUER_ALG],
    fixedKey: () => {
      fixed ??= issuer.verificationKey().then(
        ({ key, kid }) => ({
          key: KeyObject.from(key),
          // The commonest mistake with the local issuer: a token minted under another DATA_DIR, so another key.
          header: (header) => {
            if (header['kid'] !== undefined && header['kid'] !== kid) {
              throw new TokenRejectedError('TOKEN_KEY_UNKNOWN', `signed by key ${String(header['kid'])}, the local issuer's key is ${kid}`);
            }
          },
        }),
        (error: unknown) => {
          // Not kept: a key file that could not be read this time may be readable the next.
          fixed = undefined;
          throw error;
        },
      );
      return fixed;
    },
  };
}
