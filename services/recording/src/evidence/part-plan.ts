import { MAX_PART_NUMBER, type StorageLimits } from '@enforcement/storage';

const MiB = 1024 * 1024;

/** How an object of a declared size is cut into parts: all `partSize` bytes but the last. */
export interface PartPlan {
  sizeBytes: number;
  partSize: number;
  partCount: number;
}

/**
 * The part size for an upload: the preferred size within the storage's limits, raised (in whole MiB) when
 * the object would otherwise need more than S3's 10,000 parts. Returns undefined when even the largest part
 * the storage accepts cannot carry the object in 10,000 parts.
 */
export function planParts(sizeBytes: number, preferredPartSize: number, limits: StorageLimits): PartPlan | undefined {
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 1) throw new RangeError(`size must be a positive integer, got ${sizeBytes}`);
  const needed = Math.ceil(Math.ceil(sizeBytes / MAX_PART_NUMBER) / MiB) * MiB;
  const partSize = Math.min(Math.max(preferredPartSize, limits.minPartSize, needed), limits.maxPartSize);
  const partCount = Math.ceil(sizeBytes / partSize);
  if (partCount > MAX_PART_NUMBER) return undefined;
  return { sizeBytes, partSize, partCount };
}

/** Bytes part `partNumber` (1-based) must have: the part size, or the rest for the last part. */
export function expectedPartSize(plan: PartPlan, partNumber: number): number {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > plan.partCount) {
    throw new RangeError(`part ${partNumber} is outside 1..${plan.partCount}`);
  }
  return partNumber < plan.partCount ? plan.partSize : plan.sizeBytes - plan.partSize * (plan.partCount - 1);
}

/** Part numbers of the plan not in `received`, ascending. */
export function missingParts(plan: PartPlan, received: Iterable<number>): number[] {
  const have = new Set(received);
  const missing: number[] = [];
  for (let partNumber = 1; partNumber <= plan.partCount; partNumber++) if (!have.has(partNumber)) missing.push(partNumber);
  return missing;
}
