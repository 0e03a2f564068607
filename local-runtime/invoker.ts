/**
 * Asynchronous invocation as Lambda does it for IoT rules: events are queued and run with at most
 * `concurrency` in flight (the function's reserved concurrency); a failed invocation is retried
 * twice, then recorded as the rule's error action would record it.
 */
export interface AsyncInvoker<E> {
  invoke(event: E): void;
  /** Resolves when nothing is queued or running. */
  idle(): Promise<void>;
  stats(): { invoked: number; failed: number; backlog: number };
}

const RETRIES = 2;

export function asyncInvoker<E>(
  handler: (event: E) => Promise<unknown>,
  options: { concurrency: number; onFailure: (event: E, error: unknown) => void },
): AsyncInvoker<E> {
  const queue: { event: E; attempt: number }[] = [];
  let running = 0;
  let invoked = 0;
  let failed = 0;
  let waiters: (() => void)[] = [];

  function next(): void {
    while (running < options.concurrency && queue.length > 0) {
      const item = queue.shift() as { event: E; attempt: number };
      running += 1;
      handler(item.event)
        .then(() => {
          invoked += 1;
        })
        .catch((error: unknown) => {
          if (item.attempt < RETRIES) queue.push({ event: item.event, attempt: item.attempt + 1 });
          else {
            failed += 1;
            options.onFailure(item.event, error);
          }
        })
        .finally(() => {
          running -= 1;
          next();
        });
    }
    if (running === 0 && queue.length === 0) {
      for (const resolve of waiters) resolve();
      waiters = [];
    }
  }

  return {
    invoke(event) {
      queue.push({ event, attempt: 0 });
      next();
    },
    idle() {
      return new Promise((resolve) => {
        waiters.push(resolve);
        next();
      });
    },
    stats: () => ({ invoked, failed, backlog: queue.length + running }),
  };
}
