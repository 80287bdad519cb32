import { EvidenceErrors } from './evidence.errors';

/** Audio and video (body cameras, recorders) are footage; photographs and scanned documents have no upload limit. */
export function isFootage(mediaType: string): boolean {
  return /^(audio|video)\//i.test(mediaType);
}

/**
 * The late-entry reason footage is sealed with: null when it comes within `limitMs` of its recording's end (or is no
 * footage), the given reason (trimmed) when later, and a refusal when later without one (issue #10, Art. 47: the
 * record is honest about when it was made).
 */
export function lateFootageReason(footage: {
  mediaType: string;
  recordingEndedAt: Date;
  at: Date;
  limitMs: number;
  reason: string | null | undefined;
}): string | null {
  if (!isFootage(footage.mediaType) || footage.at.getTime() - footage.recordingEndedAt.getTime() <= footage.limitMs) return null;
  const reason = footage.reason?.trim() ?? '';
  if ([...reason].length < 2) {
    throw EvidenceErrors.lateFootageReasonRequired(footage.recordingEndedAt, footage.at, Math.round(footage.limitMs / 60_000));
  }
  return reason;
}
