import type { Redis } from 'ioredis';
import { RateLimitedError } from '../errors';
import type { CallLimiter, RateLimiter } from './rate-limiter';

const KEY_PREFIX = 'passport-assurance:rate';

/**
 * A fixed-window counter per key in Redis, so that the limit holds across every instance
 * behind the load balancer. Windows are aligned to the clock (all instances agree on them);
 * each counter expires with its window. While Redis cannot be reached, the in-process
 * `fallback` counts instead: the limit then holds per instance, as it does without Redis.
 */
export class SharedRateLimiter implements CallLimiter {
  constructor(
    private readonly redis: Redis,
    /** Names the limit in the key, e.g. "login". */
    private readonly name: string,
    private readonly max: number,
    private readonly windowSeconds: number,
    private readonly fallback: RateLimiter,
    private readonly onRedisFailure: (error: unknown) => void,
  ) {}

  /** Counts one call for the key, or throws RATE_LIMITED with the seconds until it may retry. */
  async take(key: string): Promise<void> {
    const now = Date.now();
    const windowMs = this.windowSeconds * 1000;
    const window = Math.floor(now / windowMs);
    const redisKey = `${KEY_PREFIX}:${this.name}:${key}:${window}`;
    let count: number;
    try {
      const replies = await this.redis.multi().incr(redisKey).pexpire(redisKey, windowMs).exec();
      const [error, value] = replies?.[0] ?? [new Error('no reply to INCR'), null];
      if (error) throw error;
      count = Number(value);
    } catch (error) {
      this.onRedisFailure(error);
      return this.fallback.take(key, now);
    }
    if (count > this.max) {
      throw new RateLimitedError(Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000)));
    }
  }
}
