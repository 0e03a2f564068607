import { type AsyncLocalStorage, createHook } from 'node:async_hooks';

/**
 * CPU time of each function's own code while every handler, the fleet and the stand-ins share one
 * process: every callback the event loop runs (a promise continuation, a timer, a socket read) is
 * charged to the function whose async context it runs in, by `process.cpuUsage()` deltas around
 * it. Unlike wall-clock durations this does not grow with the machine's load, nor with the time a
 * handler waits for a request while the rest of the process works.
 *
 * `process.cpuUsage()` is the whole process's (GC and libuv threads included): a callback's share
 * of another thread's work is charged to it. The measuring is charged too (the `cpuUsage` calls at
 * each boundary, the promise hooks this enables): the figures are high, see docs/cost.md.
 */
export interface FunctionCpu<O> {
  /** Runs `call` synchronously as code of `owner` (a handler's first slice, before any callback). */
  within<T>(owner: O, call: () => T): T;
  stop(): void;
}

export function functionCpu<S, O>(
  context: AsyncLocalStorage<S>,
  ownerOf: (store: S) => O,
  charge: (owner: O, ms: number) => void,
): FunctionCpu<O> {
  // Callbacks nest (microtasks drained inside a timer's callback): each is charged its own time.
  const owners: (O | undefined)[] = [];
  let mark = 0;
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const enter = (owner: O | undefined) => {
    const current = owners.at(-1);
    if (current !== undefined || owner !== undefined) {
      const now = cpuMs();
      if (current !== undefined) charge(current, now - mark);
      mark = now;
    }
    owners.push(owner);
  };
  const leave = () => {
    const owner = owners.pop();
    const outer = owners.at(-1);
    if (owner === undefined && outer === undefined) return;
    const now = cpuMs();
    if (owner !== undefined) charge(owner, now - mark);
    mark = now;
  };
  const hook = createHook({
    before() {
      const store = context.getStore();
      enter(store === undefined ? undefined : ownerOf(store));
    },
    after: leave,
  });
  hook.enable();
  return {
    within(owner, call) {
      enter(owner);
      try {
        return call();
      } finally {
        leave();
      }
    },
    stop: () => hook.disable(),
  };
}
