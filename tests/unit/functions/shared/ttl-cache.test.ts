import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { heldByKey } from '#functions/shared/ttl-cache.ts';

describe('values computed by key and held a while', () => {
  it('computes a key once while held, shares a computation in flight, and computes again once expired or failed', async () => {
    let now = 0;
    let computed = 0;
    const held = heldByKey<number>(60, () => now, { entries: 8 });
    const compute = async () => {
      computed++;
      if (computed === 3) throw new Error('night items unavailable');
      return computed;
    };
    expect(await Promise.all([held('a', compute), held('a', compute)])).toEqual([1, 1]);
    now = 59;
    expect(await held('a', compute)).toBe(1);
    expect(await held('b', compute)).toBe(2);
    now = 60;
    await expect(held('a', compute)).rejects.toThrow('night items unavailable');
    expect(await held('a', compute)).toBe(4);
    expect(await held('b', compute)).toBe(2);
  });

  it('never holds more values than its cap, whatever keys and times are asked', async () => {
    const cap = 5;
    const call = fc.record({ key: fc.integer({ min: 0, max: 20 }), wait: fc.integer({ min: 0, max: 30 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(call, { maxLength: 60 }), async (calls) => {
        let now = 0;
        const held = heldByKey<number>(60, () => now, { entries: cap });
        for (const { key, wait } of calls) {
          now += wait;
          await held(String(key), async () => key);
        }
        // Asking each key once more: a key answered without computing was held (a computed one
        // only pushes older ones out), so the answered ones are at most what was held.
        let answeredHeld = 0;
        for (const key of new Set(calls.map((c) => c.key))) {
          let computed = false;
          await held(String(key), async () => {
            computed = true;
            return key;
          });
          if (!computed) answeredHeld++;
        }
        expect(answeredHeld).toBeLessThanOrEqual(cap);
      }),
    );
  });

  it('returns a held value without computing it again until its time to live is over', async () => {
    const ttl = 60;
    const call = fc.record({ key: fc.integer({ min: 0, max: 3 }), wait: fc.integer({ min: 0, max: 40 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(call, { maxLength: 60 }), async (calls) => {
        let now = 0;
        const held = heldByKey<string>(ttl, () => now, { entries: 4 });
        const computedAt = new Map<number, number>();
        for (const { key, wait } of calls) {
          now += wait;
          const last = computedAt.get(key);
          const fresh = last !== undefined && now - last < ttl;
          const value = await held(String(key), async () => `${key}@${now}`);
          if (!fresh) computedAt.set(key, now);
          expect(value).toBe(`${key}@${computedAt.get(key)}`);
        }
      }),
    );
  });

  it('drops the values computed first once their total size is over the bound, and holds no value larger alone', async () => {
    let computed = 0;
    const held = heldByKey<number>(60, () => 0, { entries: 10, size: { max: 10, of: (n) => n } });
    const compute = (n: number) => async () => {
      computed++;
      return n;
    };
    await held('a', compute(4));
    await held('b', compute(4));
    await held('c', compute(4));
    expect(computed).toBe(3);
    await held('b', compute(4));
    await held('c', compute(4));
    expect(computed).toBe(3);
    await held('a', compute(4));
    expect(computed).toBe(4);
    await held('big', compute(11));
    await held('big', compute(11));
    expect(computed).toBe(6);
  });
});
