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

/**
 * JSON with object keys sorted at every level, so the same content always hashes the same. Properties set to
 * undefined are left out, as JSON.stringify leaves them out. Written with plain loops: it runs twice on every
 * step (the record's hash, the case's seal), and the array methods' intermediate arrays were most of its cost.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index++) {
      if (index > 0) out += ',';
      // As Array.prototype.join writes them: nothing for a hole or a value JSON has no text for.
      out += canonicalJson(value[index]) ?? '';
    }
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  // The default sort compares UTF-16 code units, as the chain always has.
  const keys = Object.keys(object).sort();
  let out = '{';
  for (const key of keys) {
    const item = object[key];
    if (item === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `${out}}`;
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
