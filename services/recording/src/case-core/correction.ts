import { RecordingError } from './recording.error';

/** A few minutes of clock drift, as for any step's own time. */
const DRIFT_MS = 5 * 60_000;

/**
 * A correction (更正) may give the corrected record's true time in `fields.correctedOccurredAt` (ISO 8601 with an
 * offset); the deadlines move with it (Art. 47: the record tells when each step happened). A time that is no time,
 * or one still to come, is refused: a period must not be moved by a typo.
 */
export function checkCorrectedTime(step: { fields: Record<string, unknown> }, now: Date = new Date()): void {
  if (!('correctedOccurredAt' in step.fields)) return;
  const value = step.fields['correctedOccurredAt'];
  const at =
    typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(value) ? new Date(value) : undefined;
  if (!at || Number.isNaN(at.getTime()) || at.getTime() > now.getTime() + DRIFT_MS || at.getUTCFullYear() < 1949) {
    throw new RecordingError('CORRECTED_TIME_INVALID', '更正后的发生时间须为有效的时间（含时区），且不能晚于当前时间', 'invalid', {
      article: '《行政处罚法》第四十七条',
      details: { correctedOccurredAt: value },
    });
  }
}
