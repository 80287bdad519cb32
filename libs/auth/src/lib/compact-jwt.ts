import { verify as verifySignature, type KeyObject } from 'node:crypto';
import { errors, type JWTPayload } from 'jose';

export interface CompactJwtChecks {
  /** The `alg` values the key may verify (algorithmsForKey). */
  algorithms: readonly string[];
  issuer: string;
  audience: string;
  requiredClaims: readonly string[];
  clockToleranceSeconds: number;
  /** Epoch ms. */
  now: number;
  /** Looks at the header once its `alg` is accepted, before the signature (as jose asks for the key then). */
  header?: (header: Readonly<Record<string, unknown>>) => void;
}

/** The key types checked here: ECDSA and Ed25519, whose signatures have no padding or key-size rules to mirror. */
export function verifiesWithNodeCrypto(key: KeyObject): boolean {
  return key.asymmetricKeyType === 'ec' || key.asymmetricKeyType === 'ed25519';
}

const HASH_OF: Record<string, string | null> = { ES256: 'sha256', ES384: 'sha384', ES512: 'sha512', EdDSA: null, Ed25519: null };
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** An empty signature is well-formed base64url, and fails as a signature. */
const SIGNATURE = /^[A-Za-z0-9_-]*$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A compact JWT checked as jose's jwtVerify checks it, with the same error classes (so callers classify both
 * alike), for a key known in advance (a configured PEM, the local issuer): node:crypto verifies the signature in
 * the request's own thread, where WebCrypto, all jose 6 can use, costs nearly twice the CPU (its job and promise
 * around the same ECDSA verification). Every co-officer's proof is a fresh token, so this runs on every
 * two-officer step. Stricter than jose where jose allows what no JWT issuer sends: `crit` and `b64` headers.
 * compact-jwt.spec.ts holds it to jose's answers.
 */
export function verifyCompactJwt(token: string, key: KeyObject, checks: CompactJwtChecks): JWTPayload {
  const parts = token.split('.');
  if (parts.length !== 3) throw new errors.JWSInvalid('Invalid Compact JWS');
  const [encodedHeader, encodedPayload, encodedSignature] = parts;
  const header = jsonObject(encodedHeader, () => new errors.JWSInvalid('JWS Protected Header is invalid'));
  const alg = header['alg'];
  if (typeof alg !== 'string' || !alg) throw new errors.JWSInvalid('JWS "alg" (Algorithm) Header Parameter missing or invalid');
  if (!checks.algorithms.includes(alg) || !Object.hasOwn(HASH_OF, alg)) {
    throw new errors.JOSEAlgNotAllowed('"alg" (Algorithm) Header Parameter value not allowed');
  }
  if ('crit' in header || 'b64' in header) throw new errors.JWSInvalid('the "crit" and "b64" JWS Header Parameters are not accepted');
  checks.header?.(header);
  if (!SIGNATURE.test(encodedSignature) || !BASE64URL.test(encodedPayload))
    throw new errors.JWSInvalid('Failed to base64url decode the JWS');
  let valid = false;
  try {
    valid = verifySignature(
      HASH_OF[alg],
      Buffer.from(`${encodedHeader}.${encodedPayload}`, 'ascii'),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(encodedSignature, 'base64url'),
    );
  } catch {
    valid = false;
  }
  if (!valid) throw new errors.JWSSignatureVerificationFailed();
  const payload = jsonObject(encodedPayload, () => new errors.JWTInvalid('JWT Claims Set must be a top-level JSON object')) as JWTPayload;
  checkClaims(payload, checks);
  return payload;
}

function jsonObject(encoded: string, invalid: () => Error): Record<string, unknown> {
  let value: unknown;
  try {
    if (!BASE64URL.test(encoded)) throw invalid();
    value = JSON.parse(strictUtf8.decode(Buffer.from(encoded, 'base64url')));
  } catch {
    throw invalid();
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid();
  return value as Record<string, unknown>;
}

/** jose's validateClaimsSet for the options TokenVerifier passes: the same order, messages and error classes. */
function checkClaims(payload: JWTPayload, checks: CompactJwtChecks): void {
  const failed = (message: string, claim: string, reason: string) => new errors.JWTClaimValidationFailed(message, payload, claim, reason);
  for (const claim of new Set(['iss', 'aud', ...[...checks.requiredClaims].reverse()])) {
    if (!Object.hasOwn(payload, claim)) throw failed(`missing required "${claim}" claim`, claim, 'missing');
  }
  if (payload.iss !== checks.issuer) throw failed('unexpected "iss" claim value', 'iss', 'check_failed');
  const { aud } = payload;
  if (!(typeof aud === 'string' ? aud === checks.audience : Array.isArray(aud) && aud.includes(checks.audience))) {
    throw failed('unexpected "aud" claim value', 'aud', 'check_failed');
  }
  const now = Math.floor(checks.now / 1000);
  const tolerance = checks.clockToleranceSeconds;
  const numeric = (claim: 'iat' | 'nbf' | 'exp'): number | undefined => {
    const value = payload[claim];
    if (value !== undefined && typeof value !== 'number') throw failed(`"${claim}" claim must be a number`, claim, 'invalid');
    return value;
  };
  numeric('iat');
  const nbf = numeric('nbf');
  if (nbf !== undefined && nbf > now + tolerance) throw failed('"nbf" claim timestamp check failed', 'nbf', 'check_failed');
  const exp = numeric('exp');
  if (exp !== undefined && exp <= now - tolerance) {
    throw new errors.JWTExpired('"exp" claim timestamp check failed', payload, 'exp', 'check_failed');
  }
}
