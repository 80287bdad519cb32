import { canonicalJson } from '@enforcement/canonical-json';
import { createHash } from 'node:crypto';

/** The hash before the first record of every case. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a record's hash covers: its whole content, the evidence digests and the previous hash. */
export interface ChainedContent {
  caseId: string;
  sequence: number;
  stepType: string;
  occurredAt: string;
  recordedAt: string;
  recordedBy: string;
  place: string;
  actingOfficerIds: string[];
  certificates: Array<{ officerId: string; certificateId: string; number: string }>;
  fields: Record<string, unknown>;
  text: string;
  evidence: Array<{ evidenceId: string; sha256: string }>;
  correctsRecordId: string | null;
  previousHash: string;
}

export function recordHash(content: ChainedContent): string {
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** The chained content of a stored record (dates as ISO strings with milliseconds, UTC). */
export function chainedContentOf(record: {
  caseId: string;
  sequence: number;
  stepType: string;
  occurredAt: Date;
  recordedAt: Date;
  recordedBy: string;
  place: string;
  actingOfficerIds: string[];
  certificates: ChainedContent['certificates'];
  fields: Record<string, unknown>;
  text: string;
  evidence: ChainedContent['evidence'];
  correctsRecordId: string | null;
  previousHash: string;
}): ChainedContent {
  return {
    caseId: record.caseId,
    sequence: record.sequence,
    stepType: record.stepType,
    occurredAt: record.occurredAt.toISOString(),
    recordedAt: record.recordedAt.toISOString(),
    recordedBy: record.recordedBy,
    place: record.place,
    actingOfficerIds: record.actingOfficerIds,
    certificates: record.certificates.map(({ officerId, certificateId, number }) => ({ officerId, certificateId, number })),
    fields: record.fields,
    text: record.text,
    evidence: record.evidence,
    correctsRecordId: record.correctsRecordId,
    previousHash: record.previousHash,
  };
}
