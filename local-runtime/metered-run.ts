import { SimClock } from '#device-sim/clock.ts';
import { startFleet } from '#device-sim/fleet.ts';
import { CostMeter, type Usage } from '#schedules/cost/usage.ts';
import type { Config, Luminaire } from '#schedules/index.ts';
import type { Cabinet, PresenceSensor } from '#schedules/inventory/schema.ts';
import { startLocalSite } from './local-site.ts';

/**
 * A site run through the real local pipeline (the local cloud, the registry's handlers, device-sim
 * for every luminaire and sensor) for a span of simulated time, with a cost meter counting what
 * AWS would bill: what bench/cost.bench.ts extrapolates to a month at city scale.
 */
export interface MeteredRunOptions {
  readonly config: Config;
  readonly luminaires: readonly Luminaire[];
  /** The cabinets the luminaires name. */
  readonly cabinets: readonly Cabinet[];
  readonly sensors: readonly PresenceSensor[];
  /** Simulated start, epoch seconds. */
  readonly from: number;
  readonly hours: number;
  /** Simulated seconds per real second. */
  readonly speed: number;
  readonly telemetryEverySeconds: number;
  readonly pushAt: string;
  readonly log?: (message: string) => void;
}

/**
 * A sweep of the clock every 20 ms moves it at most 20 simulated seconds (18 at 900 ×): on a loaded
 * machine a late sweep loses time rather than jumping minutes past what the sensors just published,
 * so presence judges their detections in time (its hold is 120 s) at any speed.
 */
const TICK_MS = 20;
const MAX_STEP_SECONDS = 20;

/** Readings not yet ingested beyond which simulated time waits (as `npm start` does), so the counts do not depend on the speed. */
const INGEST_BACKLOG_LIMIT = 2_000;

export async function meterLocalRun(options: MeteredRunOptions): Promise<Usage> {
  const log = options.log ?? (() => {});
  const meter = new CostMeter();
  let backlog = () => 0;
  // Real time while the fleet connects, as `npm start` does; the run's span starts at `from` all the same.
  const clock = new SimClock({
    start: options.from,
    speed: 1,
    // A loaded machine wakes devices late; with exact timers none is, so none skips a report.
    exactTimers: true,
    tickMs: TICK_MS,
    maxStepSeconds: MAX_STEP_SECONDS,
    backpressure: { source: { backlog: () => backlog() }, limit: INGEST_BACKLOG_LIMIT, onWait: () => {} },
  });
  const end = options.from + options.hours * 3600;
  const local = await startLocalSite({
    apiPort: 0,
    siteId: 'metered',
    seed: {
      config: options.config,
      luminaires: options.luminaires,
      cabinets: options.cabinets,
      sensors: options.sensors,
    },
    clock,
    pushAt: options.pushAt,
    log: (message) => log(message),
    meter,
  });
  try {
    backlog = () => local.stats().streams.telemetry?.backlog ?? 0;
    const fleet = await startFleet({
      mqttUrl: local.cloud.mqttUrl,
      luminaires: options.luminaires,
      cabinets: options.cabinets,
      sensors: options.sensors,
      clock,
      timezone: options.config.site.timezone,
      agent: {
        standbyW: options.config.site.standbyWatts,
        telemetryEverySeconds: options.telemetryEverySeconds,
      },
    });
    log(`${options.luminaires.length} luminaires and ${options.sensors.length} sensors connected`);
    clock.setSpeed(options.speed);
    await new Promise<void>((resolve) => clock.at(end, () => resolve()));
    // Real time while the last reports drain: a fast clock would fire further schedules meanwhile.
    clock.setSpeed(1);
    await fleet.stop();
    await local.settled();
  } finally {
    await local.stop();
    clock.stop();
  }
  return meter.snapshot(end);
}
