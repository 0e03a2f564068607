/**
 * The time every simulated device lives in. One clock is shared by the whole fleet: timers are kept
 * in one min-heap and fired from one real interval, so thousands of devices cost one setInterval.
 * Time is epoch seconds (fractional); a simulated clock may run faster than real time
 * (speed 600 = one night in about a minute).
 */

export type Cancel = () => void;

export interface Clock {
  /** Current simulated time, epoch seconds (fractional). */
  now(): number;
  /** Simulated seconds per real second. */
  readonly speed: number;
  /** Runs `fn` once the simulated time reaches `t` (epoch seconds). */
  at(t: number, fn: () => void): Cancel;
  /** Runs `fn` every `simSeconds` of simulated time, first one period from now. */
  every(simSeconds: number, fn: () => void): Cancel;
  stop(): void;
}

/**
 * A timer asked for at a time that is not a number of seconds (NaN, ±Infinity). Refused where it
 * is scheduled: in the heap a NaN compares false with everything, stays on top and no timer after
 * it ever runs, and the exact clock, which stands at the next timer, would read NaN from then on.
 */
export class InvalidTimerTime extends RangeError {
  constructor(readonly time: number) {
    super(`timer time must be a finite number of epoch seconds, got ${time}`);
    this.name = 'InvalidTimerTime';
  }
}

interface Timer {
  at: number;
  order: number;
  fn: () => void;
  cancelled: boolean;
}

/** Binary min-heap of timers ordered by due time, then by scheduling order. */
class TimerHeap {
  private readonly items: Timer[] = [];

  peek(): Timer | undefined {
    return this.items[0];
  }

  push(timer: Timer): void {
    const items = this.items;
    items.push(timer);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i] as Timer, items[parent] as Timer)) break;
      [items[i], items[parent]] = [items[parent] as Timer, items[i] as Timer];
      i = parent;
    }
  }

  pop(): Timer | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    items[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < items.length && before(items[left] as Timer, items[smallest] as Timer)) smallest = left;
      if (right < items.length && before(items[right] as Timer, items[smallest] as Timer)) smallest = right;
      if (smallest === i) break;
      [items[i], items[smallest]] = [items[smallest] as Timer, items[i] as Timer];
      i = smallest;
    }
    return top;
  }
}

const before = (a: Timer, b: Timer): boolean => a.at < b.at || (a.at === b.at && a.order < b.order);

/** Timers in simulated time; `fire(upTo)` runs every timer due at or before `upTo`, in time order. */
abstract class TimerClock implements Clock {
  private readonly timers = new TimerHeap();
  private order = 0;

  abstract readonly speed: number;
  abstract now(): number;
  abstract stop(): void;
  /** Called before a timer runs, with its due time. */
  protected abstract reached(t: number): void;

  at(t: number, fn: () => void): Cancel {
    if (!Number.isFinite(t)) throw new InvalidTimerTime(t);
    const timer: Timer = { at: t, order: this.order++, fn, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  every(simSeconds: number, fn: () => void): Cancel {
    if (!(simSeconds > 0)) throw new RangeError('every: period must be > 0 simulated seconds');
    let cancelThis: Cancel = () => {};
    let stopped = false;
    const schedule = (t: number): void => {
      cancelThis = this.at(t, () => {
        if (stopped) return;
        schedule(t + simSeconds);
        fn();
      });
    };
    schedule(this.now() + simSeconds);
    return () => {
      stopped = true;
      cancelThis();
    };
  }

  /** When the earliest timer still to run is due; undefined when none is. */
  protected nextDue(): number | undefined {
    for (let timer = this.timers.peek(); timer?.cancelled; timer = this.timers.peek()) this.timers.pop();
    return this.timers.peek()?.at;
  }

  protected fire(upTo: number): void {
    for (
      let timer = this.timers.peek();
      timer !== undefined && timer.at <= upTo;
      timer = this.timers.peek()
    ) {
      this.timers.pop();
      if (timer.cancelled) continue;
      this.reached(timer.at);
      timer.fn();
    }
  }
}

/** How far behind whatever consumes the devices' output is: readings published but not yet ingested. */
export interface Backlog {
  backlog(): number;
}

/**
 * Backpressure on the simulated clock: time stops while the backlog is above `limit` and resumes
 * once it is down to `resumeAt`, so a fast clock never runs further ahead of ingest than the bound.
 * `onWait` is told once per wait episode (not per sweep).
 */
export interface ClockBackpressure {
  readonly source: Backlog;
  readonly limit: number;
  /** Default: half the limit, so time does not start and stop at every sweep around the bound. */
  readonly resumeAt?: number;
  readonly onWait: (backlog: number, at: number) => void;
}

export interface SimClockOptions {
  /** Simulated instant at start, epoch seconds. */
  start: number;
  /** Simulated seconds per real second (1 = real time). */
  speed: number;
  /** Real milliseconds between timer sweeps. */
  tickMs?: number;
  /** Source of real time in milliseconds (tests inject a fake). */
  realNowMs?: () => number;
  backpressure?: ClockBackpressure;
  /**
   * Timers see their own due time, and no one sees a time past a timer still to run: a sweep
   * running late (a loaded machine) then makes no device late, so none skips a report because it
   * was woken late. Simulated time stands at the next timer until a sweep runs it.
   */
  exactTimers?: boolean;
  /**
   * The most simulated seconds one sweep moves the clock: a sweep running late (a loaded machine)
   * then loses the rest instead of jumping, so what devices publish in a sweep is handled before
   * the clock is much further on (a presence detection is stale 120 s after it happened).
   */
  maxStepSeconds?: number;
}

/**
 * A clock driven by one real interval, `speed` times faster than real time, that waits (simulated
 * time stands still) while its backpressure source is behind.
 */
export class SimClock extends TimerClock {
  private currentSpeed: number;
  private start: number;
  private realStart: number;
  private readonly realNowMs: () => number;
  private readonly interval: NodeJS.Timeout;
  private readonly backpressure: ClockBackpressure | undefined;
  private waiting = false;
  private readonly exactTimers: boolean;
  /** With exact timers: the due time of the timer running, and the latest time anyone was given. */
  private firing: number | undefined;
  private seen = Number.NEGATIVE_INFINITY;
  private readonly maxStep: number;
  /** Where the last sweep brought simulated time. */
  private swept: number;

  constructor(options: SimClockOptions) {
    super();
    if (!(options.speed > 0)) throw new RangeError('speed must be > 0');
    const { backpressure } = options;
    if (backpressure !== undefined && !(backpressure.limit > 0))
      throw new RangeError('backpressure limit must be > 0');
    this.currentSpeed = options.speed;
    this.start = options.start;
    this.realNowMs = options.realNowMs ?? Date.now;
    this.realStart = this.realNowMs();
    this.backpressure = backpressure;
    this.exactTimers = options.exactTimers ?? false;
    if (options.maxStepSeconds !== undefined && !(options.maxStepSeconds > 0))
      throw new RangeError('maxStepSeconds must be > 0');
    this.maxStep = options.maxStepSeconds ?? Number.POSITIVE_INFINITY;
    this.swept = options.start;
    this.interval = setInterval(() => this.sweep(), options.tickMs ?? 50);
    // A clock alone must not keep the process alive: devices and servers do.
    this.interval.unref();
  }

  get speed(): number {
    return this.currentSpeed;
  }

  now(): number {
    if (!this.exactTimers) return this.target();
    if (this.firing !== undefined) return this.firing;
    this.seen = Math.max(this.seen, Math.min(this.target(), this.nextDue() ?? Number.POSITIVE_INFINITY));
    return this.seen;
  }

  /** Where real time has brought simulated time, timers run or not, at most a step past the last sweep. */
  private target(): number {
    return Math.min(this.unbounded(), this.swept + this.maxStep);
  }

  private unbounded(): number {
    if (this.waiting) return this.start;
    return this.start + ((this.realNowMs() - this.realStart) / 1000) * this.currentSpeed;
  }

  /** Whether simulated time stands still, waiting for the backlog to go down. */
  get isWaiting(): boolean {
    return this.waiting;
  }

  private sweep(): void {
    this.applyBackpressure();
    if (this.waiting) return;
    const target = this.target();
    if (this.unbounded() > target) {
      // The sweep came late: simulated time goes on from the bound, the rest is lost.
      this.start = target;
      this.realStart = this.realNowMs();
    }
    this.fire(target);
    this.swept = Math.max(this.swept, target);
    this.firing = undefined;
  }

  private applyBackpressure(): void {
    const bp = this.backpressure;
    if (bp === undefined) return;
    const backlog = bp.source.backlog();
    if (!this.waiting && backlog > bp.limit) {
      this.start = this.now();
      this.waiting = true;
      bp.onWait(backlog, this.start);
    } else if (this.waiting && backlog <= (bp.resumeAt ?? bp.limit / 2)) {
      this.realStart = this.realNowMs();
      this.waiting = false;
    }
  }

  /**
   * Simulated time stands still until the next `setSpeed`: every device of a fleet then starts at
   * the same instant, however many real seconds connecting them all takes.
   */
  hold(): void {
    this.start = this.now();
    this.realStart = this.realNowMs();
    this.currentSpeed = 0;
  }

  /** Changes the speed from now on (e.g. connect a fleet at real time, then run the night fast). */
  setSpeed(speed: number): void {
    if (!(speed > 0)) throw new RangeError('speed must be > 0');
    this.start = this.now();
    this.realStart = this.realNowMs();
    this.currentSpeed = speed;
  }

  /**
   * Timers run late by up to one sweep; they see the real current time so time never goes back,
   * or with exact timers their due time (no one has seen a later one).
   */
  protected reached(t: number): void {
    if (!this.exactTimers) return;
    this.seen = Math.max(this.seen, t);
    this.firing = this.seen;
  }

  stop(): void {
    clearInterval(this.interval);
  }
}

/** Real time: speed 1, now = the wall clock. */
export const realTimeClock = (tickMs = 200): SimClock =>
  new SimClock({ start: Date.now() / 1000, speed: 1, tickMs });

/**
 * A clock that moves only when told to (`advance`), for deterministic tests: timers fire in time
 * order, each seeing `now()` equal to its own due time.
 */
export class ManualClock extends TimerClock {
  readonly speed = 1;
  private t: number;

  constructor(start: number) {
    super();
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  protected reached(t: number): void {
    this.t = Math.max(this.t, t);
  }

  advance(simSeconds: number): void {
    this.advanceTo(this.t + simSeconds);
  }

  advanceTo(t: number): void {
    this.fire(t);
    this.t = Math.max(this.t, t);
  }

  stop(): void {}
}
