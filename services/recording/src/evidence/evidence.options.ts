const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** Settings of audio/video evidence in the recording service. */
export interface EvidenceOptions {
  /** Largest evidence object an upload may declare, in bytes (default 8 GiB: hours of body-camera video). */
  maxUploadBytes: number;
  /**
   * Preferred part size (default 8 MiB). Clamped to what the object storage accepts, and raised when a large
   * object would otherwise need more parts than S3 allows.
   */
  partSize: number;
  /**
   * How long an upload stays open, in ms (default 24 h). Body-camera footage is uploaded within 24 hours of
   * recording (the usual practice for body-camera footage); a session left longer is swept and its parts discarded.
   */
  uploadTtlMs: number;
  /** Presigned playback URLs live this long unless the caller asks for less (default 300 s). */
  presignTtlSeconds: number;
  /** Upper bound of a presigned URL's life (900 s): a leaked link must stop working soon. */
  maxPresignTtlSeconds: number;
  /** How often expired uploads are aborted, in ms (default 10 min); 0 turns the sweeper off. */
  sweepIntervalMs: number;
  /** How long a completion may hold an upload before another request may take it over (default 1 h). */
  sealingLeaseMs: number;
  /** Uploads open at once in one case (default 50): a runaway client cannot tie up storage without end. */
  maxOpenUploadsPerCase: number;
  /** Uploads open at once by one officer (default 20). */
  maxOpenUploadsPerOfficer: number;
  /** Bytes declared by one officer's open uploads together (default 64 GiB). */
  maxOpenBytesPerOfficer: number;
  /** How often the fixity sweep re-hashes a batch of stored originals, in ms (default 1 h); 0 turns it off. */
  fixitySweepIntervalMs: number;
  /** Originals re-hashed per sweep run (default 20): each is read whole from storage. */
  fixitySweepBatchSize: number;
  /** Now; tests pin it. */
  clock: () => Date;
}

export const EVIDENCE_OPTIONS = Symbol('EVIDENCE_OPTIONS');

export const DEFAULT_EVIDENCE_OPTIONS: EvidenceOptions = {
  maxUploadBytes: 8 * GiB,
  partSize: 8 * MiB,
  uploadTtlMs: 24 * 60 * 60 * 1000,
  presignTtlSeconds: 300,
  maxPresignTtlSeconds: 900,
  sweepIntervalMs: 10 * 60 * 1000,
  sealingLeaseMs: 60 * 60 * 1000,
  maxOpenUploadsPerCase: 50,
  maxOpenUploadsPerOfficer: 20,
  maxOpenBytesPerOfficer: 64 * GiB,
  fixitySweepIntervalMs: 60 * 60 * 1000,
  fixitySweepBatchSize: 20,
  clock: () => new Date(),
};

export function resolveEvidenceOptions(options: Partial<EvidenceOptions> = {}): EvidenceOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const resolved: EvidenceOptions = { ...DEFAULT_EVIDENCE_OPTIONS, ...defined };
  const positive = (name: keyof EvidenceOptions, value: number) => {
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new RangeError(`evidence option ${name} must be a positive integer, got ${value}`);
  };
  positive('maxUploadBytes', resolved.maxUploadBytes);
  positive('partSize', resolved.partSize);
  positive('uploadTtlMs', resolved.uploadTtlMs);
  positive('presignTtlSeconds', resolved.presignTtlSeconds);
  positive('maxPresignTtlSeconds', resolved.maxPresignTtlSeconds);
  positive('sealingLeaseMs', resolved.sealingLeaseMs);
  positive('maxOpenUploadsPerCase', resolved.maxOpenUploadsPerCase);
  positive('maxOpenUploadsPerOfficer', resolved.maxOpenUploadsPerOfficer);
  positive('maxOpenBytesPerOfficer', resolved.maxOpenBytesPerOfficer);
  positive('fixitySweepBatchSize', resolved.fixitySweepBatchSize);
  for (const name of ['sweepIntervalMs', 'fixitySweepIntervalMs'] as const) {
    if (!Number.isSafeInteger(resolved[name]) || resolved[name] < 0) {
      throw new RangeError(`evidence option ${name} must be an integer >= 0, got ${resolved[name]}`);
    }
  }
  if (resolved.presignTtlSeconds > resolved.maxPresignTtlSeconds) {
    throw new RangeError('evidence option presignTtlSeconds exceeds maxPresignTtlSeconds');
  }
  return resolved;
}
