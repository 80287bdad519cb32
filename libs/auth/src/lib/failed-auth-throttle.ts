/**
 * Slows down guessing: a client address whose bearer tokens were refused `limit` times within a window is
 * refused at once (429) until that window ends, without its tokens being checked. Kept in memory per
 * process and bounded, so a flood of addresses cannot grow it without limit.
 */
export interface FailedAuthThrottleOptions {
  limit: number;
  windowMs: number;
  maxAddresses: number;
  now?: () => number;
}

export const DEFAULT_FAILED_AUTH_THROTTLE: FailedAuthThrottleOptions = { limit: 10, windowMs: 60_000, maxAddresses: 10_000 };

interface Window {
  startedAt: number;
  failures: number;
}

export class FailedAuthThrottle {
  private readonly windows = new Map<string, Window>();
  private readonly now: () => number;

  constructor(private readonly options: FailedAuthThrottleOptions = DEFAULT_FAILED_AUTH_THROTTLE) {
    this.now = options.now ?? Date.now;
  }

  /** Seconds the address must wait, or 0 when it may try. */
  retryAfterSeconds(address: string): number {
    const window = this.current(address);
    if (!window || window.failures < this.options.limit) return 0;
    return Math.max(1, Math.ceil((window.startedAt + this.options.windowMs - this.now()) / 1000));
  }

  recordFailure(address: string): void {
    const window = this.current(address) ?? { startedAt: this.now(), failures: 0 };
    window.failures++;
    // Re-inserting keeps the map in order of last failure, so the oldest address is dropped first.
    this.windows.delete(address);
    this.windows.set(address, window);
    if (this.windows.size > this.options.maxAddresses) {
      const oldest = this.windows.keys().next().value;
      if (oldest !== undefined) this.windows.delete(oldest);
    }
  }

  private current(address: string): Window | undefined {
    const window = this.windows.get(address);
    if (window && this.now() - window.startedAt >= this.options.windowMs) {
      this.windows.delete(address);
      return undefined;
    }
    return window;
  }
}
