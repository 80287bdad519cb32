import { measureEvaluationLatency } from './evaluation-latency';

describe(measureEvaluationLatency.name, () => {
  it('evaluates a 1,000-rule catalog and the discretion benchmark per proposal, some sent to review, some out of band', () => {
    const sut = measureEvaluationLatency({ rules: 1000, violations: 200, samples: 500, warmup: 50 });
    expect(sut).toMatchObject({ rules: 1000, samples: 500 });
    expect(sut.reviewRequiredShare).toBeGreaterThan(0.1);
    expect(sut.reviewRequiredShare).toBeLessThan(1);
    expect(sut.outOfBandShare).toBeGreaterThan(0);
    expect(sut.p99Ms).toBeGreaterThanOrEqual(sut.p50Ms);
  });
});
