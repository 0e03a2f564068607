import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenBuckets } from '#functions/api/public/token-bucket.ts';

const rate = { capacity: 3, refillPerSecond: 0.5 };

describe('TokenBuckets', () => {
  it('lets a burst of capacity through, then refuses with the seconds until the next token', () => {
    let now = 1000;
    const buckets = new TokenBuckets(() => now);
    for (let i = 0; i < 3; i++) expect(buckets.take('a', rate).ok).toBe(true);
    expect(buckets.take('a', rate)).toEqual({ ok: false, retryAfterSeconds: 2 });
    now += 2;
    expect(buckets.take('a', rate).ok).toBe(true);
  });

  it('keeps one bucket per key', () => {
    const buckets = new TokenBuckets(() => 0);
    for (let i = 0; i < 3; i++) buckets.take('a', rate);
    expect(buckets.take('a', rate).ok).toBe(false);
    expect(buckets.take('b', rate).ok).toBe(true);
  });

  it('forgets the least recently seen client beyond its bound', () => {
    const buckets = new TokenBuckets(() => 0, 2);
    for (let i = 0; i < 3; i++) buckets.take('a', rate);
    buckets.take('b', rate);
    buckets.take('c', rate);
    expect(buckets.take('a', rate).ok).toBe(true);
  });

  it('never lets more than capacity plus the refill of the elapsed time through', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 60 }), (gaps) => {
        let now = 0;
        const buckets = new TokenBuckets(() => now);
        let allowed = 0;
        for (const gap of gaps) {
          now += gap;
          if (buckets.take('k', rate).ok) allowed++;
        }
        expect(allowed).toBeLessThanOrEqual(rate.capacity + now * rate.refillPerSecond);
      }),
    );
  });
});
