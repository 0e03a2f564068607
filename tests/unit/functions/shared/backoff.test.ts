import { describe, expect, it } from 'vitest';
import { mapBounded, withBackoff } from '#functions/shared/backoff.ts';
import { cachedByKeys, cachedValue } from '#functions/shared/ttl-cache.ts';

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

describe('values cached by key, loaded many at a time', () => {
  const TTL = { found: 60, absent: 10 };

  it('loads only the keys not held in one call, holds absent keys a shorter time, and reloads each after its time to live', async () => {
    let now = 0;
    const calls: string[][] = [];
    const get = cachedByKeys(
      async (keys: readonly string[]) => {
        calls.push([...keys]);
        return keys.filter((key) => key !== 'ghost').map((key) => ({ key }));
      },
      (value) => value.key,
      TTL,
      () => now,
    );
    expect(await get(['a', 'b', 'a'])).toEqual([{ key: 'a' }, { key: 'b' }]);
    expect(await get(['b', 'c', 'ghost'])).toEqual([{ key: 'b' }, { key: 'c' }]);
    now = 9;
    expect(await get(['ghost', 'c'])).toEqual([{ key: 'c' }]);
    now = 10;
    expect(await get(['ghost', 'c'])).toEqual([{ key: 'c' }]);
    now = 60;
    expect(await get(['a'])).toEqual([{ key: 'a' }]);
    expect(calls).toEqual([['a', 'b'], ['c', 'ghost'], ['ghost'], ['a']]);
  });

  it('finds a key absent before once its absence has expired', async () => {
    let now = 0;
    const known = new Set(['a']);
    const get = cachedByKeys(
      async (keys: readonly string[]) => keys.filter((key) => known.has(key)).map((key) => ({ key })),
      (value) => value.key,
      TTL,
      () => now,
    );
    expect(await get(['a', 'new'])).toEqual([{ key: 'a' }]);
    known.add('new');
    expect(await get(['new'])).toEqual([]);
    now = 10;
    expect(await get(['a', 'new'])).toEqual([{ key: 'a' }, { key: 'new' }]);
  });

  it('holds the values a load returned beyond the keys asked for', async () => {
    const calls: string[][] = [];
    const get = cachedByKeys(
      async (keys: readonly string[]) => {
        calls.push([...keys]);
        return ['a', 'b', 'c'].map((key) => ({ key }));
      },
      (value) => value.key,
      TTL,
      () => 0,
    );
    expect(await get(['a'])).toEqual([{ key: 'a' }]);
    expect(await get(['b', 'c'])).toEqual([{ key: 'b' }, { key: 'c' }]);
    expect(calls).toEqual([['a']]);
  });

  it('lets concurrent calls wait for a load in flight and load only what it did not answer', async () => {
    const calls: string[][] = [];
    const get = cachedByKeys(
      async (keys: readonly string[]) => {
        calls.push([...keys]);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return ['a', 'b', 'c'].filter((key) => keys.includes(key) || keys.length > 1).map((key) => ({ key }));
      },
      (value) => value.key,
      TTL,
      () => 0,
    );
    const results = await Promise.all([get(['a', 'b']), get(['c']), get(['b', 'ghost'])]);
    expect(results).toEqual([[{ key: 'a' }, { key: 'b' }], [{ key: 'c' }], [{ key: 'b' }]]);
    expect(calls).toEqual([['a', 'b'], ['ghost']]);
  });

  it('forgets the keys of a failed load', async () => {
    let fail = true;
    const get = cachedByKeys(
      async (keys: readonly string[]) => {
        if (fail) throw new Error('table unavailable');
        return keys.map((key) => ({ key }));
      },
      (value) => value.key,
      TTL,
      () => 0,
    );
    await expect(get(['a'])).rejects.toThrow('table unavailable');
    fail = false;
    expect(await get(['a'])).toEqual([{ key: 'a' }]);
  });
});
