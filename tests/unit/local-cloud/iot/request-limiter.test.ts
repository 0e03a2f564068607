import { describe, expect, it } from 'vitest';
import { RequestLimiter } from '#local-cloud/iot/request-limiter.ts';

function limiter(limits: ConstructorParameters<typeof RequestLimiter>[0]) {
  let now = 0;
  return { limiter: new RequestLimiter(limits, () => now), advance: (ms: number) => (now += ms) };
}

const acquired = (l: RequestLimiter, thing: string, count: number) =>
  Array.from({ length: count }, () => l.tryAcquire(thing)).filter(Boolean).length;

describe('RequestLimiter', () => {
  it('lets everything through without limits', () => {
    expect(acquired(limiter({}).limiter, 'L-1', 10_000)).toBe(10_000);
  });

  it('allows 20 requests per second per thing, independently for each thing', () => {
    const { limiter: l, advance } = limiter({ perThing: 20 });
    expect(acquired(l, 'L-1', 25)).toBe(20);
    expect(acquired(l, 'L-2', 25)).toBe(20);
    advance(500);
    expect(acquired(l, 'L-1', 25)).toBe(10);
    advance(5_000);
    expect(acquired(l, 'L-1', 25)).toBe(20);
  });

  it('caps the whole account, whatever the thing', () => {
    const { limiter: l, advance } = limiter({ account: 100 });
    let granted = 0;
    for (let i = 0; i < 300; i++) if (l.tryAcquire(`L-${i}`)) granted++;
    expect(granted).toBe(100);
    advance(250);
    expect(acquired(l, 'L-x', 100)).toBe(25);
  });

  it('takes nothing from the account when the thing is over its own limit', () => {
    const { limiter: l } = limiter({ perThing: 2, account: 3 });
    expect(acquired(l, 'L-1', 5)).toBe(2);
    expect(acquired(l, 'L-2', 5)).toBe(1);
  });
});

describe('RequestLimiter memory', () => {
  it('still limits a thing seen again after many others went idle', () => {
    const { limiter: l, advance } = limiter({ perThing: 2 });
    expect(acquired(l, 'L-first', 5)).toBe(2);
    for (let i = 0; i < 20_000; i++) l.tryAcquire(`L-${i}`);
    expect(acquired(l, 'L-first', 5)).toBe(0);
    advance(2_000);
    for (let i = 20_000; i < 30_000; i++) l.tryAcquire(`L-${i}`);
    expect(acquired(l, 'L-first', 5)).toBe(2);
  });
});
