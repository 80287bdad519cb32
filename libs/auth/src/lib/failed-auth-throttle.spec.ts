import { FailedAuthThrottle } from './failed-auth-throttle';

describe(FailedAuthThrottle.name, () => {
  let now = 0;
  const sut = () => new FailedAuthThrottle({ limit: 3, windowMs: 60_000, maxAddresses: 2, now: () => now });

  beforeEach(() => {
    now = 1_000_000;
  });

  it('lets an address try until its failures reach the limit, then makes it wait out the window', () => {
    const throttle = sut();
    throttle.recordFailure('10.0.0.1');
    throttle.recordFailure('10.0.0.1');
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(0);

    throttle.recordFailure('10.0.0.1');
    now += 15_000;

    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(45);
    expect(throttle.retryAfterSeconds('10.0.0.2')).toBe(0);
    now += 45_000;
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(0);
  });

  it('forgets the oldest address beyond its bound', () => {
    const throttle = sut();
    for (const address of ['a', 'a', 'a', 'b', 'c']) throttle.recordFailure(address);

    expect(throttle.retryAfterSeconds('a')).toBe(0);
  });
});
