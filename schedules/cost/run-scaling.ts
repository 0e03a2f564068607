import type { FunctionUsage, RunSample } from './usage.ts';

/**
 * A scheduled run's work is a part every run pays whatever the fleet (the alarm sweep's Queries of
 * its 256 shards, the night's setup) and a part per luminaire. Scaling all of it with the fleet, as
 * a day of a small site would have it, bills a city the small site's fixed part once per 136
 * luminaires; measured alone at two fleet sizes, warm, the line through both splits them.
 */
export type RunWork = Pick<FunctionUsage, 'cpuMs' | 'awsRounds' | 'readUnits' | 'writeUnits'>;

export interface RunLine {
  /** What a run pays whatever the fleet: where the line meets no luminaire. */
  readonly fixed: RunWork;
  /** What a run pays for each luminaire: the line's slope. */
  readonly perLuminaire: RunWork;
}

export interface SplitUsage {
  /** The work of the measured runs that does not grow with the fleet (none without `runAtSizes`). */
  readonly fixed: FunctionUsage;
  /** What grows with the fleet. */
  readonly growing: FunctionUsage;
}

const NOTHING: RunWork = { cpuMs: 0, awsRounds: {}, readUnits: 0, writeUnits: 0 };

function mapWork(work: RunWork, f: (value: number, key: string) => number): RunWork {
  return {
    cpuMs: f(work.cpuMs, 'cpuMs'),
    awsRounds: Object.fromEntries(Object.entries(work.awsRounds).map(([key, n]) => [key, f(n, key)])),
    readUnits: f(work.readUnits, 'readUnits'),
    writeUnits: f(work.writeUnits, 'writeUnits'),
  };
}

const amountOf = (work: RunWork, key: string): number =>
  key === 'cpuMs' || key === 'readUnits' || key === 'writeUnits' ? work[key] : (work.awsRounds[key] ?? 0);

/**
 * The line through a run's two samples, per billing quantity: a slope never below nothing (work
 * that shrank with the fleet is measurement noise) and a fixed part never below nothing nor above
 * the smaller sample's. Two samples of one size give no slope: all of it is fixed.
 */
export function runLineOf(samples: readonly [RunSample, RunSample]): RunLine {
  const [a, b] = samples[0].luminaires <= samples[1].luminaires ? samples : [samples[1], samples[0]];
  const keys = new Set([...Object.keys(a.awsRounds), ...Object.keys(b.awsRounds)]);
  const shape: RunWork = { ...NOTHING, awsRounds: Object.fromEntries([...keys].map((key) => [key, 0])) };
  const span = b.luminaires - a.luminaires;
  const perLuminaire = mapWork(shape, (_, key) =>
    span === 0 ? 0 : Math.max(0, (amountOf(b, key) - amountOf(a, key)) / span),
  );
  const fixed = mapWork(shape, (_, key) =>
    Math.max(0, amountOf(a, key) - amountOf(perLuminaire, key) * a.luminaires),
  );
  return { fixed, perLuminaire };
}

/**
 * `fn`'s measured work split into what its runs pay whatever the fleet and what grows with it. A
 * function measured alone at two sizes is priced from that line, each run at a site of
 * `luminaires`: the day's own runs of it may be few, cold, or slowed by the rest of the pipeline
 * (its log bytes and wall clock stay the day's).
 */
export function splitUsage(fn: FunctionUsage, luminaires: number): SplitUsage {
  const runs = fn.requests;
  const none = { ...fn, ...NOTHING, logBytes: 0, gbSeconds: 0 };
  if (fn.runAtSizes === undefined || runs === 0) return { fixed: none, growing: fn };
  const line = runLineOf(fn.runAtSizes);
  return {
    fixed: { ...none, ...mapWork(line.fixed, (value) => value * runs) },
    growing: { ...fn, ...mapWork(line.perLuminaire, (value) => value * luminaires * runs) },
  };
}
