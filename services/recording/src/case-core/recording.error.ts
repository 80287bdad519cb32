import { Refusal, type RefusalKind } from '@enforcement/refusals';

export type { FieldProblem } from '@enforcement/refusals';
export type RecordingErrorKind = RefusalKind;

/**
 * A refusal the recording domain explains: a stable `code` for clients, the legal `article` that forbids it
 * where there is one, and a Chinese `message` for officers. Plain: no framework, no HTTP status.
 */
export class RecordingError extends Refusal {}

export function isRecordingError(error: unknown, code?: string): error is RecordingError {
  return error instanceof RecordingError && (code === undefined || error.code === code);
}

/** Someone appended to the case between its read and this append: the chain head it started from has moved. */
export function concurrentAppendError(): RecordingError {
  return new RecordingError('CONCURRENT_CHANGE', '案件记录刚被他人更新，请刷新后重试', 'conflict');
}
