/**
 * Tells an outage (connection lost, lock timeout, database busy) from a failure the same input would
 * always hit. Outages must delay work, never send it to a dead-letter store.
 */
// The database cannot be reached at all (as opposed to a lock that a retry gets past).
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
]);
// Unreachable, or busy for a moment: a retry may get past either.
const TRANSIENT_CODES = new Set([...UNREACHABLE_CODES, 'ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY', 'SQLITE_LOCKED']);
const UNREACHABLE_MESSAGE = /connection (is )?(lost|closed)|pool is closed/i;

function matches(error: unknown, codes: ReadonlySet<string>): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const candidate = current as { code?: unknown; driverError?: unknown; cause?: unknown; message?: unknown };
    if (typeof candidate.code === 'string' && codes.has(candidate.code)) return true;
    if (typeof candidate.message === 'string' && UNREACHABLE_MESSAGE.test(candidate.message)) return true;
    current = candidate.driverError ?? candidate.cause;
  }
  return false;
}

export function isTransientDatabaseError(error: unknown): boolean {
  return matches(error, TRANSIENT_CODES);
}

/** The database is down or unreachable: a request can only be answered "try again later" (503). */
export function isDatabaseUnavailableError(error: unknown): boolean {
  return matches(error, UNREACHABLE_CODES);
}
