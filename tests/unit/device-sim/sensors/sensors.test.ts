import { describe, expect, it } from 'vitest';
import { ManualClock } from '#device-sim/clock.ts';
import { seededRandom } from '#device-sim/random.ts';
import { LocalProjection, projectOnStreet, streetsOf } from '#device-sim/sensors/streets.ts';
import {
  detectionOffsets,
  localHour,
  type SimulatedDetection,
  SPEEDS,
  startTraffic,
  watchPoints,
} from '#device-sim/sensors/traffic.ts';
import { METRES_PER_DEGREE } from '#schedules/geo.ts';
import { Luminaire, PresenceSensor } from '#schedules/inventory/schema.ts';

/** About 1 m in degrees of latitude. */
const M = 1 / METRES_PER_DEGREE;
const LAT = 43.2;
const LON = 2.35;

/** Eleven luminaires 30 m apart going north, listed out of order. */
const luminaires = [5, 0, 9, 2, 7, 1, 10, 4, 8, 3, 6].map((i) =>
  Luminaire.parse({
    id: `L-${i}`,
    lat: LAT + i * 30 * M,
    lon: LON,
    street: 'Rue Longue',
    zone: 'bastide',
    ledWatts: 30,
    baselineWatts: 100,
  }),
);
const sensor = PresenceSensor.parse({
  id: 'S-1',
  lat: LAT + 150 * M,
  lon: LON + (5 * M) / Math.cos((LAT * Math.PI) / 180),
  street: 'Rue Longue',
  zone: 'bastide',
});
const projection = new LocalProjection(LAT, LON);

describe('streets from the inventory', () => {
  it('orders a street’s luminaires along it into a polyline', () => {
    const [street] = streetsOf(luminaires, projection);
    expect(street?.points).toHaveLength(11);
    expect(street?.length).toBeCloseTo(300, 0);
    const ys = street?.points.map((p) => p.y) ?? [];
    const ascending = [...ys].sort((a, b) => a - b);
    expect(ys[0] === ascending[0] ? ys : [...ys].reverse()).toEqual(ascending);
  });

  it('projects a point onto the street: distance along and away', () => {
    const [street] = streetsOf(luminaires, projection);
    if (street === undefined) throw new Error('no street');
    const first = street.points[0]?.y ?? 0;
    const { along, away } = projectOnStreet(street, projection.toLocal(sensor.lat, sensor.lon));
    expect(away).toBeCloseTo(5, 1);
    expect(first < 0 ? along : 300 - along).toBeCloseTo(150, 0);
  });

  it('skips a street with a single luminaire (no direction to walk)', () => {
    expect(streetsOf(luminaires.slice(0, 1), projection)).toEqual([]);
  });
});

describe('sensor detections', () => {
  it('detects a traveller when it comes within range, from either direction', () => {
    const streets = streetsOf(luminaires, projection);
    const points = watchPoints(streets, [sensor], projection, 20).get('Rue Longue') ?? [];
    expect(points).toHaveLength(1);
    const street = streets[0];
    if (street === undefined) throw new Error('no street');
    const reach = Math.sqrt(20 ** 2 - 5 ** 2);
    const [forward] = detectionOffsets(street, points, SPEEDS.pedestrian, true);
    const [backward] = detectionOffsets(street, points, SPEEDS.pedestrian, false);
    expect(forward?.after).toBeCloseTo((150 - reach) / 1.4, 0);
    expect(backward?.after).toBeCloseTo((150 - reach) / 1.4, 0);
  });

  it('ignores sensors out of range of every street', () => {
    const far = { ...sensor, lat: sensor.lat + 0.01 };
    expect(watchPoints(streetsOf(luminaires, projection), [far], projection, 20).size).toBe(0);
  });
});

describe('simulated traffic', () => {
  /** 2026-06-21 00:00 Europe/Paris (22:00 UTC the day before). */
  const LOCAL_MIDNIGHT = 1_781_992_800;

  function day(): SimulatedDetection[] {
    const clock = new ManualClock(LOCAL_MIDNIGHT);
    const detections: SimulatedDetection[] = [];
    startTraffic({
      luminaires,
      sensors: [sensor],
      clock,
      random: seededRandom(42),
      timezone: 'Europe/Paris',
      peakPerHour: { pedestrian: 60, vehicle: 60 },
      onDetection: (d) => detections.push(d),
    });
    clock.advance(24 * 3600);
    return detections;
  }

  it('is busier in the evening than at 3 am', () => {
    const hour = localHour('Europe/Paris');
    const detections = day();
    const inHours = (from: number, to: number) =>
      detections.filter((d) => hour(d.at) >= from && hour(d.at) < to).length;
    expect(inHours(18, 21)).toBeGreaterThan(5 * inHours(2, 5));
  });

  it('is reproducible with the same seed and names street, sensor and kind', () => {
    const a = day();
    const b = day();
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(100);
    expect(new Set(a.map((d) => d.kind))).toEqual(new Set(['pedestrian', 'vehicle']));
    expect(a.every((d) => d.street === 'Rue Longue' && d.sensor.id === 'S-1')).toBe(true);
  });

  it('stops producing detections once stopped', () => {
    const clock = new ManualClock(LOCAL_MIDNIGHT + 19 * 3600);
    let count = 0;
    const traffic = startTraffic({
      luminaires,
      sensors: [sensor],
      clock,
      random: seededRandom(7),
      timezone: 'Europe/Paris',
      onDetection: () => count++,
    });
    clock.advance(3600);
    traffic.stop();
    const before = count;
    clock.advance(3600);
    expect(before).toBeGreaterThan(0);
    expect(count).toBe(before);
    expect(traffic.stats().detections).toBe(before);
  });

  it('reads the local hour across daylight saving time', () => {
    const hour = localHour('Europe/Paris');
    expect(hour(LOCAL_MIDNIGHT)).toBe(0);
    expect(hour(Date.parse('2026-01-15T22:00:00Z') / 1000)).toBe(23);
  });
});
