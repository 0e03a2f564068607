import { describe, expect, it } from 'vitest';
import { mapBounded, withBackoff } from '#functions/shared/backoff.ts';
import { cachedValue } from '#functions/shared/ttl-cache.ts';

describe('backoff', () => {
  it('waits a random share of an exponentially growing, capped delay between attempts', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const { result, attempts } = await withBackoff(
      async () => ++calls,
      () => true,
      {
        maxAttempts: 6,
        baseMs: 100,
        capMs: 1_000,
        random: () => 0.5,
        sleep: async (ms) => void sleeps.push(ms),
      },
    );
    expect({ result, attempts }).toEqual({ result: 6, attempts: 6 });
    expect(sleeps).toEqual([50, 100, 200, 400, 500]);
  });

  it('stops as soon as the result is not worth retrying', async () => {
    let calls = 0;
    const { attempts } = await withBackoff(
      async () => ++calls,
      (n) => n < 2,
      { maxAttempts: 9, baseMs: 0, capMs: 0 },
    );
    expect(attempts).toBe(2);
  });
});

describe('bounded concurrency', () => {
  it('never has more than the limit in flight and keeps results in input order', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapBounded([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, n));
      inFlight--;
      return n * 10;
    });
    expect(peak).toBe(3);
    expect(results).toEqual([50, 10, 40, 20, 30, 0, 60]);
  });
});

describe('cached value', () => {
  it('loads once per time to live and forgets a failed load', async () => {
    let now = 0;
    let loads = 0;
    const get = cachedValue(
      async () => {
        loads++;
        if (loads === 2) throw new Error('table unavailable');
        return loads;
      },
      60,
      () => now,
    );
    expect(await get()).toBe(1);
    now = 59;
    expect(await get()).toBe(1);
    now = 60;
    await expect(get()).rejects.toThrow('table unavailable');
    expect(await get()).toBe(3);
  });
});
