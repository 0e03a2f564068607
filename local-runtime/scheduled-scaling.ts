import { ManualClock } from '#device-sim/clock.ts';
import { CostMeter, type FunctionUsage, type RunSample } from '#schedules/cost/usage.ts';
import type { Config, Luminaire } from '#schedules/index.ts';
import type { Cabinet } from '#schedules/inventory/schema.ts';
import { startLocalSite } from './local-site.ts';

/**
 * One run of each scheduled function on a site of a given size, counted by a cost meter: the real
 * local site without devices, its clock standing still at `at`. The plan push runs once (as on a
 * new night: every plan is sent) with its chunks (one per luminaire shard whatever the fleet: a
 * sample is one chunk's work, the push's over its chunks), then the alarm sweep `sweeps` times
 * after one run not counted (a warm Lambda's runs; none with `sweeps` 0). Measured at two sizes,
 * these split a run's work into what every run pays and what grows with the fleet
 * (schedules/cost/run-scaling.ts).
 */
export interface ScheduledRunOptions {
  readonly config: Config;
  readonly luminaires: readonly Luminaire[];
  readonly cabinets: readonly Cabinet[];
  /** Simulated instant the runs happen at, epoch seconds (a night, so the sweep judges levels). */
  readonly at: number;
  readonly sweeps: number;
}

const PUSH = 'plan-push-schedule';
const CHUNK = 'plan-push-chunk';

const perRunOf = (after: FunctionUsage, before: FunctionUsage | undefined, runs: number) => ({
  cpuMs: (after.cpuMs - (before?.cpuMs ?? 0)) / runs,
  awsRounds: Object.fromEntries(
    Object.entries(after.awsRounds).map(([key, n]) => [key, (n - (before?.awsRounds[key] ?? 0)) / runs]),
  ),
  readUnits: (after.readUnits - (before?.readUnits ?? 0)) / runs,
  writeUnits: (after.writeUnits - (before?.writeUnits ?? 0)) / runs,
});

export async function meterScheduledRuns(options: ScheduledRunOptions): Promise<Record<string, RunSample>> {
  if (!(Number.isInteger(options.sweeps) && options.sweeps >= 0)) throw new RangeError('sweeps must be ≥ 0');
  const meter = new CostMeter();
  const clock = new ManualClock(options.at);
  const local = await startLocalSite({
    apiPort: 0,
    siteId: 'scaling',
    seed: { config: options.config, luminaires: options.luminaires, cabinets: options.cabinets, sensors: [] },
    clock,
    pushAt: '13:00',
    log: () => {},
    meter,
  });
  const luminaires = options.luminaires.length;
  const sample = (name: string, before: FunctionUsage | undefined, runs: number): RunSample => {
    const after = meter.snapshot(clock.now()).functions[name];
    if (after === undefined) throw new Error(`the cost meter saw no run of ${name}`);
    return { luminaires, ...perRunOf(after, before, runs) };
  };
  try {
    await local.pushPlans();
    await local.settled();
    const push = sample(PUSH, undefined, 1);
    const chunks = meter.snapshot(clock.now()).functions[CHUNK]?.requests ?? 0;
    const pushed = { [PUSH]: push, [CHUNK]: sample(CHUNK, undefined, Math.max(1, chunks)) };
    if (options.sweeps === 0) return pushed;
    await local.sweepAlarms();
    const warm = meter.snapshot(clock.now()).functions['alarm-sweep'];
    for (let i = 0; i < options.sweeps; i++) await local.sweepAlarms();
    return { ...pushed, 'alarm-sweep': sample('alarm-sweep', warm, options.sweeps) };
  } finally {
    await local.stop();
  }
}
