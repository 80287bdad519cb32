import { expectedPartSize, missingParts, planParts } from './part-plan';

const MiB = 1024 * 1024;
const s3 = { minPartSize: 5 * MiB, maxPartSize: 16 * MiB };

describe(planParts.name, () => {
  it('cuts an object into preferred-size parts with a shorter last part', () => {
    const plan = planParts(20 * MiB + 3, 8 * MiB, s3);
    expect(plan).toEqual({ sizeBytes: 20 * MiB + 3, partSize: 8 * MiB, partCount: 3 });
    expect(plan && [1, 2, 3].map((n) => expectedPartSize(plan, n))).toEqual([8 * MiB, 8 * MiB, 4 * MiB + 3]);
  });

  it('keeps a small object in one part', () => {
    const plan = planParts(1000, 8 * MiB, s3);
    expect(plan).toEqual({ sizeBytes: 1000, partSize: 8 * MiB, partCount: 1 });
    expect(plan && expectedPartSize(plan, 1)).toBe(1000);
  });

  it('never goes below the storage minimum or above its maximum', () => {
    expect(planParts(100 * MiB, 1 * MiB, s3)?.partSize).toBe(5 * MiB);
    expect(planParts(100 * MiB, 64 * MiB, s3)?.partSize).toBe(16 * MiB);
  });

  it('raises the part size so that a large object fits in 10,000 parts', () => {
    const plan = planParts(100_000 * MiB, 8 * MiB, s3);
    expect(plan?.partSize).toBe(10 * MiB);
    expect(plan?.partCount).toBe(10_000);
  });

  it('gives up when even the largest part cannot carry the object', () => {
    expect(planParts(200_000 * MiB, 8 * MiB, s3)).toBeUndefined();
  });

  it('lists the parts not yet received', () => {
    const plan = planParts(40 * MiB, 8 * MiB, s3);
    expect(plan && missingParts(plan, [5, 1, 3])).toEqual([2, 4]);
  });

  it('refuses part numbers outside the plan', () => {
    const plan = planParts(10 * MiB, 8 * MiB, s3);
    expect(() => plan && expectedPartSize(plan, 3)).toThrow(RangeError);
  });
});
