import { afterEach, describe, expect, it, vi } from 'vitest';
import { FunctionTimedOut, withinTimeout } from '#local-runtime/function-timeout.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('a local invocation within its function’s timeout', () => {
  it('answers what the handler answers in time, and leaves no timer behind', async () => {
    vi.useFakeTimers();
    const answer = withinTimeout(Promise.resolve({ batchItemFailures: [] }), 'telemetry', 120);
    await expect(answer).resolves.toEqual({ batchItemFailures: [] });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('fails with the handler’s own error when it fails in time', async () => {
    vi.useFakeTimers();
    await expect(withinTimeout(Promise.reject(new Error('throttled')), 'telemetry', 120)).rejects.toThrow(
      'throttled',
    );
    expect(vi.getTimerCount()).toBe(0);
  });

  it('fails as timed out, naming the function, once the handler has run its timeout without answering', async () => {
    vi.useFakeTimers();
    const answer = withinTimeout(new Promise<never>(() => {}), 'cabinet-meter', 120);
    const failure = answer.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(119_999);
    let settled = false;
    void answer
      .catch(() => {})
      .finally(() => {
        settled = true;
      });
    await Promise.resolve();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await failure;
    expect(error).toBeInstanceOf(FunctionTimedOut);
    expect(error).toMatchObject({ functionName: 'cabinet-meter', timeoutSeconds: 120 });
    expect(String(error)).toContain('cabinet-meter: task timed out after 120 seconds');
  });
});
