import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidTimerTime, ManualClock, realTimeClock, SimClock } from '#device-sim/clock.ts';

describe('SimClock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs simulated time speed times faster than real time from its start instant', () => {
    const clock = new SimClock({ start: 1_790_000_000, speed: 600 });
    vi.advanceTimersByTime(1000);
    expect(clock.now()).toBe(1_790_000_600);
    clock.stop();
  });

  it('fires timers once the simulated time reaches them, from its own interval', () => {
    const clock = new SimClock({ start: 1000, speed: 600, tickMs: 50 });
    const fired: number[] = [];
    clock.at(1000 + 3600, () => fired.push(clock.now()));
    vi.advanceTimersByTime(5_950);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBeGreaterThanOrEqual(4600);
    clock.stop();
  });

  it('in real-time mode follows the wall clock', () => {
    vi.setSystemTime(1_790_000_000_000);
    const clock = realTimeClock();
    const fired = vi.fn();
    clock.at(1_790_000_002, fired);
    vi.advanceTimersByTime(2500);
    expect(clock.now()).toBe(1_790_000_002.5);
    expect(fired).toHaveBeenCalledOnce();
    clock.stop();
  });

  it('changes speed without a jump in simulated time', () => {
    const clock = new SimClock({ start: 1000, speed: 1 });
    vi.advanceTimersByTime(10_000);
    clock.setSpeed(600);
    expect(clock.now()).toBe(1010);
    vi.advanceTimersByTime(1000);
    expect(clock.now()).toBe(1610);
    expect(clock.speed).toBe(600);
    clock.stop();
  });

  it('holds simulated time, its timers unfired, until the speed is set again', () => {
    const clock = new SimClock({ start: 1000, speed: 600, tickMs: 50 });
    const fired = vi.fn();
    clock.at(1001, fired);
    clock.hold();
    vi.advanceTimersByTime(60_000);
    expect(clock.now()).toBe(1000);
    expect(fired).not.toHaveBeenCalled();
    clock.setSpeed(10);
    vi.advanceTimersByTime(100);
    expect(clock.now()).toBe(1001);
    expect(fired).toHaveBeenCalledOnce();
    clock.stop();
  });

  it('rejects a speed that is not positive', () => {
    expect(() => new SimClock({ start: 0, speed: 0 })).toThrow(RangeError);
  });
});

describe('SimClock with exact timers', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Real time moved by hand: a sweep that comes late is one that finds it far ahead. */
  const lateClock = (options: { maxStepSeconds?: number } = {}) => {
    const real = { ms: 0 };
    const clock = new SimClock({
      start: 1000,
      speed: 100,
      tickMs: 50,
      realNowMs: () => real.ms,
      exactTimers: true,
      ...options,
    });
    return { real, clock };
  };

  it('runs the timers a late sweep reaches each at its own due time, then goes on with real time', () => {
    const { real, clock } = lateClock();
    const fired: number[] = [];
    clock.at(1010, () => fired.push(clock.now()));
    clock.at(1030, () => fired.push(clock.now()));
    real.ms = 5_000;
    vi.advanceTimersByTime(50);
    expect(fired).toEqual([1010, 1030]);
    expect(clock.now()).toBe(1500);
    clock.stop();
  });

  it('moves at most its step per sweep: a late sweep loses the rest instead of jumping', () => {
    const { real, clock } = lateClock({ maxStepSeconds: 20 });
    const fired: number[] = [];
    clock.at(1015, () => fired.push(clock.now()));
    clock.at(1030, () => fired.push(clock.now()));
    real.ms = 5_000;
    expect(clock.now()).toBe(1015);
    vi.advanceTimersByTime(50);
    expect(fired).toEqual([1015]);
    expect(clock.now()).toBe(1020);
    // From there, real time again at its speed: 50 ms more are 5 simulated seconds.
    real.ms = 5_050;
    vi.advanceTimersByTime(50);
    expect(clock.now()).toBe(1025);
    expect(fired).toEqual([1015]);
    clock.stop();
  });

  it('refuses a step that is not positive', () => {
    expect(() => new SimClock({ start: 0, speed: 1, maxStepSeconds: 0 })).toThrow(RangeError);
  });

  it('shows no one a time past a timer still to run, and never goes back', () => {
    const { real, clock } = lateClock();
    clock.at(1010, () => {});
    real.ms = 5_000;
    expect(clock.now()).toBe(1010);
    vi.advanceTimersByTime(50);
    expect(clock.now()).toBe(1500);
    let seen = 0;
    clock.at(1200, () => {
      seen = clock.now();
    });
    vi.advanceTimersByTime(50);
    expect(seen).toBe(1500);
    clock.stop();
  });

  it('lets a device re-arming from when it is woken report every period of a day, however late the sweeps', () => {
    const { real, clock } = lateClock();
    let reports = 0;
    const arm = () =>
      clock.at(clock.now() + 900, () => {
        reports += 1;
        arm();
      });
    arm();
    // Sweeps 1.3 real seconds apart: 130 simulated seconds each, never on a report's due time.
    while (real.ms < 864_000) {
      real.ms += 1_300;
      vi.advanceTimersByTime(50);
    }
    expect(reports).toBe(96);
    clock.stop();
  });
});

describe('SimClock backpressure', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const clockWith = (backlog: { value: number }, waits: [number, number][]) =>
    new SimClock({
      start: 1000,
      speed: 600,
      tickMs: 50,
      backpressure: {
        source: { backlog: () => backlog.value },
        limit: 100,
        onWait: (value, at) => waits.push([value, at]),
      },
    });

  it('stops simulated time and its timers while the backlog is above the limit', () => {
    const backlog = { value: 0 };
    const waits: [number, number][] = [];
    const clock = clockWith(backlog, waits);
    const fired = vi.fn();
    clock.at(1000 + 600 * 3, fired);
    vi.advanceTimersByTime(1000);
    backlog.value = 101;
    vi.advanceTimersByTime(50);
    const stoppedAt = clock.now();
    vi.advanceTimersByTime(10_000);
    expect(clock.isWaiting).toBe(true);
    expect(clock.now()).toBe(stoppedAt);
    expect(fired).not.toHaveBeenCalled();
    clock.stop();
  });

  it('resumes where it stopped once the backlog is down to half the limit, and runs on at its speed', () => {
    const backlog = { value: 500 };
    const waits: [number, number][] = [];
    const clock = clockWith(backlog, waits);
    vi.advanceTimersByTime(5_000);
    backlog.value = 51;
    vi.advanceTimersByTime(5_000);
    expect(clock.isWaiting).toBe(true);
    backlog.value = 50;
    vi.advanceTimersByTime(50);
    expect(clock.isWaiting).toBe(false);
    const resumedAt = clock.now();
    expect(resumedAt).toBeLessThan(1000 + 600 * 0.1);
    vi.advanceTimersByTime(1000);
    expect(clock.now()).toBeCloseTo(resumedAt + 600, 6);
    clock.stop();
  });

  it('reports each wait episode once, however long it lasts', () => {
    const backlog = { value: 0 };
    const waits: [number, number][] = [];
    const clock = clockWith(backlog, waits);
    for (const value of [150, 120, 300, 10, 0, 200, 180]) {
      backlog.value = value;
      vi.advanceTimersByTime(500);
    }
    expect(waits.map(([value]) => value)).toEqual([150, 200]);
    expect(waits[1]?.[1]).toBeGreaterThan(waits[0]?.[1] ?? Number.POSITIVE_INFINITY);
    clock.stop();
  });

  it('never waits while the backlog stays at or below the limit', () => {
    const backlog = { value: 100 };
    const waits: [number, number][] = [];
    const clock = clockWith(backlog, waits);
    vi.advanceTimersByTime(1000);
    expect(waits).toEqual([]);
    expect(clock.now()).toBe(1600);
    clock.stop();
  });
});

describe('timers at a time that is not a number', () => {
  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    'are refused where they are scheduled (%s), and the timers after them still run',
    (t) => {
      const clock = new ManualClock(0);
      const fired = vi.fn();
      expect(() => clock.at(t, () => {})).toThrow(InvalidTimerTime);
      clock.at(10, fired);
      clock.advance(20);
      expect(fired).toHaveBeenCalledOnce();
      expect(clock.now()).toBe(20);
    },
  );

  it('leave an exact simulated clock reading a number', () => {
    vi.useFakeTimers({ now: 0 });
    const clock = new SimClock({ start: 1000, speed: 10, exactTimers: true });
    expect(() => clock.at(Number.NaN, () => {})).toThrow(InvalidTimerTime);
    vi.advanceTimersByTime(1000);
    expect(clock.now()).toBe(1010);
    clock.stop();
    vi.useRealTimers();
  });
});

describe('ManualClock', () => {
  it('fires timers in time order, each seeing its own due time', () => {
    const clock = new ManualClock(100);
    const seen: string[] = [];
    clock.at(130, () => seen.push(`b@${clock.now()}`));
    clock.at(110, () => seen.push(`a@${clock.now()}`));
    clock.at(130, () => seen.push(`c@${clock.now()}`));
    clock.advance(50);
    expect(seen).toEqual(['a@110', 'b@130', 'c@130']);
    expect(clock.now()).toBe(150);
  });

  it('runs timers that a timer schedules within the same advance', () => {
    const clock = new ManualClock(0);
    const seen: number[] = [];
    clock.at(10, () => clock.at(20, () => seen.push(clock.now())));
    clock.advance(30);
    expect(seen).toEqual([20]);
  });

  it('repeats `every` timers each period until cancelled', () => {
    const clock = new ManualClock(0);
    const seen: number[] = [];
    const cancel = clock.every(900, () => seen.push(clock.now()));
    clock.advance(3600);
    cancel();
    clock.advance(3600);
    expect(seen).toEqual([900, 1800, 2700, 3600]);
  });

  it('does not run a cancelled timer', () => {
    const clock = new ManualClock(0);
    const fn = vi.fn();
    const cancel = clock.at(5, fn);
    cancel();
    clock.advance(10);
    expect(fn).not.toHaveBeenCalled();
  });

  it('keeps many timers ordered (heap property)', () => {
    const clock = new ManualClock(0);
    const seen: number[] = [];
    const dues = Array.from({ length: 2000 }, (_, i) => (i * 7919) % 10_007);
    for (const due of dues) clock.at(due, () => seen.push(due));
    clock.advance(20_000);
    expect(seen).toEqual([...dues].sort((a, b) => a - b));
  });
});
