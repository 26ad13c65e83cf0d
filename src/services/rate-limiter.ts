import { RateLimitedError } from '../errors';

/** Counts calls per key (a client IP); throws RATE_LIMITED once the key is over its limit. */
export interface CallLimiter {
  take(key: string): void | Promise<void>;
}

/**
 * A fixed-window counter per key, kept in this process. Without Redis each instance counts on
 * its own (the effective limit is the configured one per instance); with Redis it is the
 * fallback of the shared counter while Redis is away.
 */
export class RateLimiter implements CallLimiter {
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
