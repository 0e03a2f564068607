import { describe, expect, it } from 'vitest';
import { asyncInvoker } from '#local-runtime/invoker.ts';

describe('local asynchronous invocation (IoT rule -> Lambda)', () => {
  it('runs at most `concurrency` invocations at once and every event once when they succeed', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    const invoker = asyncInvoker<number>(
      async (event) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 2));
        seen.push(event);
        running -= 1;
      },
      { concurrency: 3, onFailure: () => {} },
    );
    for (let i = 0; i < 20; i++) invoker.invoke(i);
    await invoker.idle();
    expect(peak).toBe(3);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(invoker.stats()).toEqual({ invoked: 20, failed: 0, backlog: 0 });
  });

  it('retries a failing invocation twice, then hands it to the failure destination', async () => {
    let calls = 0;
    const failures: string[] = [];
    const invoker = asyncInvoker<string>(
      async () => {
        calls += 1;
        throw new Error('boom');
      },
      { concurrency: 1, onFailure: (event) => failures.push(event) },
    );
    invoker.invoke('detection-1');
    await invoker.idle();
    expect(calls).toBe(3);
    expect(failures).toEqual(['detection-1']);
    expect(invoker.stats()).toMatchObject({ invoked: 0, failed: 1 });
  });
});
