/** The timer a head start expires on (the browser's by default; a test's fake one). */
export interface Timers {
  set(run: () => void, ms: number): unknown;
  clear(timer: unknown): void;
}

const BROWSER_TIMERS: Timers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

/**
 * Work a page needs first, started before the page's own code has loaded, held for it: the page
 * `adopt`s it (once) and owns it from then on. What is not adopted within `ttlMs`, or is dropped
 * (the person went elsewhere) or replaced by a newer start, is closed: a head start never outlives
 * the reason it was made.
 */
export function headStart<T>(options: { ttlMs: number; close: (value: T) => void; timers?: Timers }) {
  const timers = options.timers ?? BROWSER_TIMERS;
  let held: { value: T; timer: unknown } | undefined;
  const take = (): T | undefined => {
    if (held === undefined) return undefined;
    const { value, timer } = held;
    held = undefined;
    timers.clear(timer);
    return value;
  };
  const drop = () => {
    const value = take();
    if (value !== undefined) options.close(value);
  };
  return {
    /** Starts the work now; an earlier start not adopted yet is closed. */
    start(make: () => T): void {
      drop();
      const value = make();
      held = { value, timer: timers.set(drop, options.ttlMs) };
    },
    /** The work started and not expired, now the caller's; undefined when there is none. */
    adopt: take,
    /** Closes the work if nobody adopted it. */
    drop,
  };
}
