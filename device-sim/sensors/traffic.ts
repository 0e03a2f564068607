import type { Luminaire, PresenceSensor } from '#schedules/inventory/schema.ts';
import type { Clock } from '../clock.ts';
import { exponential, type Random } from '../random.ts';
import { LocalProjection, projectOnStreet, type Street, streetsOf } from './streets.ts';

/**
 * Simulated pedestrians and cars walking and driving the example inventory's streets. Each one
 * travels a whole street at constant speed; a sensor detects it when it comes within the sensor's
 * range. Arrivals on each street form a Poisson process whose rate follows the hour of the day.
 */

export type TravellerKind = 'pedestrian' | 'vehicle';

/** Metres per second. */
export const SPEEDS: Readonly<Record<TravellerKind, number>> = { pedestrian: 1.4, vehicle: 10 };

/** Share of the evening peak by local hour 0..23: busy until 21:00, almost nobody at 3 am. */
export const HOURLY_TRAFFIC: readonly number[] = [
  0.25, 0.12, 0.06, 0.04, 0.05, 0.15, 0.4, 0.7, 0.8, 0.6, 0.6, 0.6, 0.65, 0.6, 0.6, 0.6, 0.7, 0.9, 1, 1, 0.9,
  0.7, 0.5, 0.35,
];

export interface SimulatedDetection {
  readonly sensor: PresenceSensor;
  readonly street: string;
  readonly kind: TravellerKind;
  /** Epoch seconds. */
  readonly at: number;
}

export interface TrafficOptions {
  readonly luminaires: readonly Luminaire[];
  readonly sensors: readonly PresenceSensor[];
  readonly clock: Clock;
  readonly random: Random;
  /** IANA time zone of the site, for the hour-of-day traffic profile. */
  readonly timezone: string;
  /** How far a sensor detects people and cars (typical PIR or radar: 10-30 m). */
  readonly rangeMeters?: number;
  /** Arrivals per street per hour at the evening peak. */
  readonly peakPerHour?: Readonly<Record<TravellerKind, number>>;
  readonly onDetection: (detection: SimulatedDetection) => void;
}

export interface TrafficStats {
  readonly travelling: number;
  readonly travellers: number;
  readonly detections: number;
}

export interface Traffic {
  stats(): TrafficStats;
  stop(): void;
}

/** Where a sensor watches a street: its closest point and half the chord its range cuts. */
export interface WatchPoint {
  readonly sensor: PresenceSensor;
  readonly along: number;
  readonly reach: number;
}

/** The sensors that can see each street, keyed by street name. */
export function watchPoints(
  streets: readonly Street[],
  sensors: readonly PresenceSensor[],
  projection: LocalProjection,
  rangeMeters: number,
): Map<string, WatchPoint[]> {
  const watched = new Map<string, WatchPoint[]>();
  for (const sensor of sensors) {
    const at = projection.toLocal(sensor.lat, sensor.lon);
    for (const street of streets) {
      const { along, away } = projectOnStreet(street, at);
      if (away > rangeMeters) continue;
      const points = watched.get(street.name) ?? [];
      points.push({ sensor, along, reach: Math.sqrt(rangeMeters ** 2 - away ** 2) });
      watched.set(street.name, points);
    }
  }
  return watched;
}

/**
 * Seconds after entering the street at which a traveller comes within range of each watch point
 * (forward = from the street's first vertex to its last).
 */
export function detectionOffsets(
  street: Street,
  points: readonly WatchPoint[],
  speed: number,
  forward: boolean,
): { point: WatchPoint; after: number }[] {
  return points
    .map((point) => {
      const entry = forward ? point.along - point.reach : street.length - point.along - point.reach;
      return { point, after: Math.max(0, entry) / speed };
    })
    .sort((a, b) => a.after - b.after);
}

export function startTraffic(options: TrafficOptions): Traffic {
  const { clock, random } = options;
  const projection = LocalProjection.around(options.luminaires);
  const streets = streetsOf(options.luminaires, projection);
  const watched = watchPoints(streets, options.sensors, projection, options.rangeMeters ?? 20);
  const peak = options.peakPerHour ?? { pedestrian: 8, vehicle: 12 };
  const hourOf = localHour(options.timezone);
  let stopped = false;
  let travelling = 0;
  let travellers = 0;
  let detections = 0;

  const travel = (
    street: Street,
    points: readonly WatchPoint[],
    kind: TravellerKind,
    start: number,
  ): void => {
    travellers++;
    travelling++;
    const speed = SPEEDS[kind] * (0.8 + 0.4 * random());
    for (const { point, after } of detectionOffsets(street, points, speed, random() < 0.5)) {
      clock.at(start + after, () => {
        if (stopped) return;
        detections++;
        options.onDetection({ sensor: point.sensor, street: street.name, kind, at: clock.now() });
      });
    }
    clock.at(start + street.length / speed, () => travelling--);
  };

  // Non-homogeneous Poisson arrivals by thinning: candidates at the peak rate, each kept with the
  // probability of the hour's share of the peak.
  const arrivals = (
    street: Street,
    points: readonly WatchPoint[],
    kind: TravellerKind,
    from: number,
  ): void => {
    const rate = peak[kind] / 3600;
    if (!(rate > 0)) return;
    const next = from + exponential(random, rate);
    clock.at(next, () => {
      if (stopped) return;
      if (random() < (HOURLY_TRAFFIC[hourOf(next)] ?? 0)) travel(street, points, kind, next);
      arrivals(street, points, kind, next);
    });
  };

  const start = clock.now();
  for (const street of streets) {
    const points = watched.get(street.name);
    if (points === undefined) continue;
    arrivals(street, points, 'pedestrian', start);
    arrivals(street, points, 'vehicle', start);
  }

  return {
    stats: () => ({ travelling, travellers, detections }),
    stop: () => {
      stopped = true;
    },
  };
}

/** Local hour 0..23 of an epoch-seconds instant in `timezone`. */
export function localHour(timezone: string): (t: number) => number {
  const format = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: 'numeric', hourCycle: 'h23' });
  return (t) => Number(format.format(new Date(t * 1000)));
}
