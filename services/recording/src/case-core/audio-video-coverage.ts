/** A sealed recording's window. */
export interface RecordingWindow {
  recordingStartedAt: Date;
  recordingEndedAt: Date;
}

/**
 * Whether recordings cover the whole of [from, to] without a gap (several body cameras may take turns).
 * Full audio/video is required for steps that affect major property rights or personal freedom
 * (国办发〔2018〕118号).
 */
export function coversWindow(recordings: readonly RecordingWindow[], from: Date, to: Date): boolean {
  const sorted = [...recordings].sort((a, b) => a.recordingStartedAt.getTime() - b.recordingStartedAt.getTime());
  let coveredUntil = from.getTime();
  for (const recording of sorted) {
    if (recording.recordingStartedAt.getTime() > coveredUntil) break;
    coveredUntil = Math.max(coveredUntil, recording.recordingEndedAt.getTime());
    if (coveredUntil >= to.getTime()) return true;
  }
  return coveredUntil >= to.getTime() && sorted.some((r) => r.recordingStartedAt.getTime() <= from.getTime());
}
