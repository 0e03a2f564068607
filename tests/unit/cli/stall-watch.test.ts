import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RunStalled, startStallWatch } from '#cli/stall-watch.ts';

describe('stall watch', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('declares the run stalled, naming its phase, once its progress has not changed for the limit', async () => {
    const watch = startStallWatch({
      progress: () => 'clock 13:00, telemetry 0',
      phase: () => 'connecting the fleet',
      limitMs: 60_000,
      checkEveryMs: 1_000,
    });
    const outcome = watch.stalled.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(59_000);
    await vi.advanceTimersByTimeAsync(1_000);
    const error = await outcome;
    expect(error).toBeInstanceOf(RunStalled);
    expect((error as RunStalled).message).toMatch(/no progress for 60 s during connecting the fleet/);
    expect((error as RunStalled).message).toContain('telemetry 0');
  });

  it('lets a run go on for as long as its progress keeps changing', async () => {
    let ingested = 0;
    const watch = startStallWatch({
      progress: () => `telemetry ${ingested}`,
      phase: () => 'simulating',
      limitMs: 60_000,
      checkEveryMs: 1_000,
    });
    let stalled = false;
    watch.stalled.catch(() => {
      stalled = true;
    });
    for (let minute = 0; minute < 10; minute++) {
      ingested++;
      await vi.advanceTimersByTimeAsync(50_000);
    }
    expect(stalled).toBe(false);
    watch.stop();
  });

  it('declares nothing once stopped', async () => {
    const watch = startStallWatch({
      progress: () => '',
      phase: () => 'done',
      limitMs: 1_000,
      checkEveryMs: 100,
    });
    let stalled = false;
    watch.stalled.catch(() => {
      stalled = true;
    });
    watch.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(stalled).toBe(false);
  });
});
