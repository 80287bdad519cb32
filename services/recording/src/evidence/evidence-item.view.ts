import type { EvidenceItemEntity } from './evidence-item.entity';

/** A sealed evidence item as the API shows it: metadata only, never the bytes or the storage key. */
export interface EvidenceItemView {
  id: string;
  caseId: string;
  sha256: string;
  sizeBytes: number;
  mediaType: string;
  deviceId: string;
  officerId: string;
  recordingStartedAt: string;
  recordingEndedAt: string;
  stepRecordId: string | null;
  /** Sealed after the agency's footage limit, with this reason (listed with the late entries); null when in time. */
  lateEntryReason: string | null;
  sealedAt: string;
  sealRecordId: string;
}

export function evidenceItemView(item: EvidenceItemEntity): EvidenceItemView {
  return {
    id: item.id,
    caseId: item.caseId,
    sha256: item.sha256,
    // bigint comes back as a string from MySQL; 8 GiB is far inside a safe integer.
    sizeBytes: Number(item.sizeBytes),
    mediaType: item.mediaType,
    deviceId: item.deviceId,
    officerId: item.officerId,
    recordingStartedAt: item.recordingStartedAt.toISOString(),
    recordingEndedAt: item.recordingEndedAt.toISOString(),
    stepRecordId: item.stepRecordId,
    lateEntryReason: item.lateEntryReason ?? null,
    sealedAt: item.sealedAt.toISOString(),
    sealRecordId: item.sealRecordId,
  };
}
