import { describe, expect, it } from 'vitest';
import { headStart, type Timers } from '#console/src/head-start.ts';

/** Timers that fire only when the test moves the clock. */
function fakeTimers() {
  let now = 0;
  const pending = new Map<number, { at: number; run: () => void }>();
  let next = 0;
  const timers: Timers = {
    set(run, ms) {
      next += 1;
      pending.set(next, { at: now + ms, run });
      return next;
    },
    clear: (timer) => pending.delete(timer as number),
  };
  const advance = (ms: number) => {
    now += ms;
    for (const [id, { at, run }] of [...pending]) {
      if (at > now) continue;
      pending.delete(id);
      run();
    }
  };
  return { timers, advance, pending: () => pending.size };
}

function holder() {
  const clock = fakeTimers();
  const closed: string[] = [];
  const held = headStart<string>({
    ttlMs: 1_000,
    close: (value) => closed.push(value),
    timers: clock.timers,
  });
  return { held, closed, clock };
}

describe('head start', () => {
  it('hands the started work to the page once, and never closes it then', () => {
    const { held, closed, clock } = holder();
    held.start(() => 'feed 1');
    expect(held.adopt()).toBe('feed 1');
    expect(held.adopt()).toBeUndefined();
    held.drop();
    clock.advance(5_000);
    expect(closed).toEqual([]);
    expect(clock.pending()).toBe(0);
  });

  it('closes work nobody adopted in time, which the page then does not get', () => {
    const { held, closed, clock } = holder();
    held.start(() => 'feed 1');
    clock.advance(999);
    expect(closed).toEqual([]);
    clock.advance(1);
    expect(closed).toEqual(['feed 1']);
    expect(held.adopt()).toBeUndefined();
  });

  it('closes work dropped before it was adopted (the person went elsewhere), once', () => {
    const { held, closed, clock } = holder();
    held.start(() => 'feed 1');
    held.drop();
    held.drop();
    clock.advance(5_000);
    expect(closed).toEqual(['feed 1']);
    expect(held.adopt()).toBeUndefined();
  });

  it('closes an unadopted start that a newer one replaces, and hands over the newer', () => {
    const { held, closed, clock } = holder();
    held.start(() => 'feed 1');
    clock.advance(600);
    held.start(() => 'feed 2');
    expect(closed).toEqual(['feed 1']);
    clock.advance(600);
    expect(held.adopt()).toBe('feed 2');
    expect(closed).toEqual(['feed 1']);
  });

  it('answers nothing to a page when nothing was started', () => {
    expect(holder().held.adopt()).toBeUndefined();
  });
});
