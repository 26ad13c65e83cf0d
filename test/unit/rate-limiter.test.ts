import { RateLimitedError } from '../../src/errors';
import { RateLimiter } from '../../src/services/rate-limiter';

describe('rate limiter', () => {
  it('allows max calls per window per key, then says how long to wait', () => {
    const limiter = new RateLimiter(2, 60);
    limiter.take('10.0.0.1', 0);
    limiter.take('10.0.0.1', 1000);
    limiter.take('10.0.0.2', 1000);
    let error: unknown;
    try {
      limiter.take('10.0.0.1', 15_000);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).extensions).toEqual({ retryAfterSeconds: 45 });
  });

  it('starts afresh when the window has passed', () => {
    const limiter = new RateLimiter(1, 10);
    limiter.take('a', 0);
    expect(() => limiter.take('a', 9_999)).toThrow(RateLimitedError);
    expect(() => limiter.take('a', 10_000)).not.toThrow();
  });
});
