import { describe, expect, it } from 'vitest';
import { ConnectionLimiter, TokenBucket, defaultLimits } from './limits.ts';

describe('token bucket', () => {
  it('allows a burst, then the sustained rate', () => {
    const bucket = new TokenBucket(10, 5, 0);
    expect([1, 2, 3, 4, 5, 6].map(() => bucket.take(1, 0))).toEqual([true, true, true, true, true, false]);
    expect(bucket.take(1, 50)).toBe(false); // half a token refilled
    expect(bucket.take(1, 100)).toBe(true); // one token per 100 ms at 10/s
    expect(bucket.take(1, 100)).toBe(false);
    // Capped at the burst.
    expect([1, 2, 3, 4, 5, 6].map(() => bucket.take(1, 10_000))).toEqual([true, true, true, true, true, false]);
  });
});

describe('connection limiter', () => {
  it('refuses on bytes as well as on messages', () => {
    const limiter = new ConnectionLimiter({ ...defaultLimits, byteBurst: 1000, bytesPerSecond: 1000 }, 0);
    expect(limiter.allow(900, 0)).toBe(true);
    expect(limiter.allow(200, 0)).toBe(false);
    expect(limiter.allow(200, 300)).toBe(true);
  });
});
