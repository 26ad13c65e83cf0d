import { RateLimitedError } from '../errors';

/**
 * A fixed-window counter per key (a client IP), kept in this process. Behind a load balancer
 * each instance counts on its own, so the effective limit is the configured one per instance.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly max: number,
    private readonly windowSeconds: number,
  ) {}

  /** Counts one call for the key, or throws RATE_LIMITED with the seconds until it may retry. */
  take(key: string, now = Date.now()): void {
    const windowMs = this.windowSeconds * 1000;
    let window = this.windows.get(key);
    if (!window || now - window.start >= windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
      if (this.windows.size > 10_000) this.prune(now);
    }
    if (window.count >= this.max) {
      throw new RateLimitedError(Math.max(1, Math.ceil((window.start + windowMs - now) / 1000)));
    }
    window.count++;
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) {
      if (now - window.start >= this.windowSeconds * 1000) this.windows.delete(key);
    }
  }
}
