import { canonicalJson } from '@enforcement/canonical-json';
import { createHash } from 'node:crypto';
import { RecordingError } from '../case-core/recording.error';

/**
 * What the Idempotency-Key header may hold. The IETF draft (draft-ietf-httpapi-idempotency-key-header) leaves the
 * form to the server; a UUID fits, and eight characters at least keep a client from reusing "1" by accident.
 */
const KEY = /^[A-Za-z0-9_-]{8,64}$/;

/** A request sent with an Idempotency-Key: whose it is, and what it asked, as hashes. */
export interface IdempotentRequest {
  /** SHA-256 of the caller and the key: the same key of another officer is another key. */
  keyHash: string;
  callerId: string;
  route: string;
  /** The case the request acts on; null for one that opens a case. */
  caseId: string | null;
  /** SHA-256 of the route, the case and the canonical body: a retry of the same request has the same. */
  fingerprint: string;
}

/** An HTTP request as the idempotency key reads it: the header, and the body the fingerprint covers. */
export interface KeyedHttpRequest {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

/** The request's Idempotency-Key, or undefined when it has none; a malformed key is refused before anything is done. */
export function idempotentRequest(
  request: KeyedHttpRequest,
  asked: { callerId: string; route: string; caseId: string | null },
): IdempotentRequest | undefined {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return undefined;
  // Two headers reach here joined by ", ", which the form refuses too.
  if (typeof header !== 'string' || !KEY.test(header)) {
    throw new RecordingError('IDEMPOTENCY_KEY_INVALID', '幂等键（Idempotency-Key）应为8至64个字母、数字、连字符或下划线', 'invalid');
  }
  const { callerId, route, caseId } = asked;
  return {
    keyHash: sha256(`${callerId}\n${header}`),
    callerId,
    route,
    caseId,
    fingerprint: sha256(canonicalJson({ route, caseId, body: request.body })),
  };
}

/** The same key sent again with another request: answering it with the first request's result would mislead. */
export function keyReusedError(): RecordingError {
  return new RecordingError('IDEMPOTENCY_KEY_REUSED', '该幂等键已用于另一请求，新的请求请使用新的幂等键', 'refused');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
