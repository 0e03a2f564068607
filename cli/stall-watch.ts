/**
 * A long local run that stops moving ends with an error saying where it stood, instead of hanging
 * with its clock idle until someone kills it: every `checkEveryMs` the watch reads a fingerprint of
 * the run's progress (simulated time, connections, records ingested, invocations finished), and
 * when it has not changed for `limitMs` the run is declared stalled.
 */
export class RunStalled extends Error {
  constructor(
    readonly phase: string,
    readonly stalledMs: number,
    readonly progress: string,
  ) {
    super(`no progress for ${Math.round(stalledMs / 1000)} s during ${phase}; last progress: ${progress}`);
    this.name = 'RunStalled';
  }
}

export interface StallWatchOptions {
  /** What changes while the run moves (any string; compared for equality only). */
  readonly progress: () => string;
  /** What the run is doing, for the error. */
  readonly phase: () => string;
  readonly limitMs: number;
  readonly checkEveryMs?: number;
  readonly realNowMs?: () => number;
}

export interface StallWatch {
  /** Rejects with `RunStalled` once the run has stalled; never resolves. */
  readonly stalled: Promise<never>;
  stop(): void;
}

export function startStallWatch(options: StallWatchOptions): StallWatch {
  const realNowMs = options.realNowMs ?? Date.now;
  let last = options.progress();
  let lastChangeMs = realNowMs();
  let fail: (error: RunStalled) => void = () => {};
  const stalled = new Promise<never>((_, reject) => {
    fail = reject;
  });
  // Raced by the caller, and maybe never lost: no unhandled rejection when it ends the run.
  stalled.catch(() => {});
  const interval = setInterval(() => {
    const now = realNowMs();
    const progress = options.progress();
    if (progress !== last) {
      last = progress;
      lastChangeMs = now;
    } else if (now - lastChangeMs >= options.limitMs) {
      clearInterval(interval);
      fail(new RunStalled(options.phase(), now - lastChangeMs, progress));
    }
  }, options.checkEveryMs ?? 5_000);
  interval.unref();
  return { stalled, stop: () => clearInterval(interval) };
}
