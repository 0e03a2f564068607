import type { FunctionUsage, RunSample } from './usage.ts';

/**
 * A scheduled run's work is a part every run pays whatever the fleet (the alarm sweep's Queries of
 * its 256 shards, the night's setup) and a part per luminaire. Scaling all of it with the fleet, as
 * a day of a small site would have it, bills a city the small site's fixed part once per 136
 * luminaires; measured at two fleet sizes, the line through both splits them.
 */
export type RunWork = Pick<FunctionUsage, 'cpuMs' | 'awsRounds' | 'readUnits' | 'writeUnits'>;

export interface SplitUsage {
  /** The work of the measured runs that does not grow with the fleet (none without `runAtSizes`). */
  readonly fixed: FunctionUsage;
  /** The rest of `fn`: what grows with the fleet. */
  readonly growing: FunctionUsage;
}

/** Where the line through two sizes meets no luminaire, kept between nothing and `most`. */
function intercept(small: number, large: number, samples: readonly [RunSample, RunSample], most: number) {
  const [a, b] = samples;
  const at0 = (b.luminaires * small - a.luminaires * large) / (b.luminaires - a.luminaires);
  return Math.min(Math.max(0, at0), most);
}

/**
 * One run's fixed work from its two samples, at most `perRun` (the measured run's own work, so
 * what grows is never negative); nothing when the samples are not two different sizes.
 */
export function fixedWorkOf(samples: readonly [RunSample, RunSample], perRun: RunWork): RunWork {
  const [a, b] = samples;
  if (a.luminaires === b.luminaires) return { cpuMs: 0, awsRounds: {}, readUnits: 0, writeUnits: 0 };
  const part = (pick: (work: RunWork) => number) => intercept(pick(a), pick(b), samples, pick(perRun));
  const awsRounds = Object.fromEntries(
    Object.keys(perRun.awsRounds).map((key) => [key, part((work) => work.awsRounds[key] ?? 0)]),
  );
  return {
    cpuMs: part((work) => work.cpuMs),
    awsRounds,
    readUnits: part((work) => work.readUnits),
    writeUnits: part((work) => work.writeUnits),
  };
}

/** `fn`'s measured work split into what its runs pay whatever the fleet and what grows with it. */
export function splitUsage(fn: FunctionUsage): SplitUsage {
  const runs = fn.requests;
  const none = { ...fn, cpuMs: 0, awsRounds: {}, readUnits: 0, writeUnits: 0, logBytes: 0, gbSeconds: 0 };
  if (fn.runAtSizes === undefined || runs === 0) return { fixed: none, growing: fn };
  const perRun: RunWork = {
    cpuMs: fn.cpuMs / runs,
    awsRounds: Object.fromEntries(Object.entries(fn.awsRounds).map(([key, n]) => [key, n / runs])),
    readUnits: fn.readUnits / runs,
    writeUnits: fn.writeUnits / runs,
  };
  const one = fixedWorkOf(fn.runAtSizes, perRun);
  const fixed = {
    ...none,
    cpuMs: one.cpuMs * runs,
    awsRounds: Object.fromEntries(Object.entries(one.awsRounds).map(([key, n]) => [key, n * runs])),
    readUnits: one.readUnits * runs,
    writeUnits: one.writeUnits * runs,
  };
  const growing = {
    ...fn,
    cpuMs: fn.cpuMs - fixed.cpuMs,
    awsRounds: Object.fromEntries(
      Object.entries(fn.awsRounds).map(([key, n]) => [key, n - (fixed.awsRounds[key] ?? 0)]),
    ),
    readUnits: fn.readUnits - fixed.readUnits,
    writeUnits: fn.writeUnits - fixed.writeUnits,
  };
  return { fixed, growing };
}
