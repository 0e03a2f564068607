import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nightWindow, sunTimesForNight, ZoneClock } from '#schedules/index.ts';
import { noaaSunEvent } from './noaa-sun.ts';

const paris = ZoneClock.of('Europe/Paris');
const oslo = ZoneClock.of('Europe/Oslo');
const TROMSO = { lat: 69.65, lon: 18.96 };

/**
 * How far an event is from NOAA's same event. NOAA anchors an event to the solar noon of a UTC day,
 * and an evening event west of Greenwich can fall on the next UTC day, so the nearest of three days
 * is the same event.
 */
function offNoaa(kind: 'sunrise' | 'sunset', at: number, lat: number, lon: number): number {
  const day = Math.floor(at / 86400) * 86400;
  const candidates = [day - 86400, day, day + 86400].map((d) => noaaSunEvent(kind, d, lat, lon));
  return Math.min(...candidates.map((c) => (c === null ? Infinity : Math.abs(at - c))));
}

describe('sun times against the NOAA solar equations', () => {
  /*
   * Measured over every day of 2026: suncalc 2.0.2 and the NOAA equations agree within 3.9 s below
   * 65° of latitude (the NOAA equation-of-time series is truncated; both use -0.833°). Near the
   * start and end of the midnight sun the sun grazes the horizon, an event time is ill-conditioned
   * (0.01° of altitude is tens of seconds) and they differ by up to 49 s: those days are excluded.
   */
  const TOLERANCE_SECONDS = 5;

  it('agrees within 5 s on sunset and sunrise at latitudes up to 65°, any day of 2026', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -65, max: 65, noNaN: true }),
        fc.double({ min: -180, max: 180, noNaN: true }),
        fc.integer({ min: 0, max: 364 }),
        (lat, lon, dayOfYear) => {
          const day = Date.UTC(2026, 0, 1) / 1000 + dayOfYear * 86400;
          // The window whose noon is the local solar noon of that UTC day.
          const noon = day + 43200 - lon * 240;
          const times = sunTimesForNight(lat, lon, { night: '2026-01-01', start: noon, end: noon + 86400 });
          expect(offNoaa('sunset', times.sunset, lat, lon)).toBeLessThanOrEqual(TOLERANCE_SECONDS);
          expect(offNoaa('sunrise', times.sunrise, lat, lon)).toBeLessThanOrEqual(TOLERANCE_SECONDS);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('agrees within 5 s in Tromsø away from the edges of the midnight sun and the polar night', () => {
    for (const night of [
      '2026-01-20',
      '2026-02-15',
      '2026-03-20',
      '2026-04-15',
      '2026-09-01',
      '2026-10-15',
    ]) {
      const times = sunTimesForNight(TROMSO.lat, TROMSO.lon, nightWindow(oslo, night));
      expect(offNoaa('sunset', times.sunset, TROMSO.lat, TROMSO.lon)).toBeLessThanOrEqual(TOLERANCE_SECONDS);
      expect(offNoaa('sunrise', times.sunrise, TROMSO.lat, TROMSO.lon)).toBeLessThanOrEqual(
        TOLERANCE_SECONDS,
      );
    }
  });
});

describe('sun times of a night', () => {
  it('takes the evening events of the first day and the morning events of the next', () => {
    const times = sunTimesForNight(43.213, 2.3491, nightWindow(paris, '2026-06-21'));
    expect(paris.format(times.sunset)).toMatch(/^2026-06-21T21:3\d/);
    expect(paris.format(times.sunrise)).toMatch(/^2026-06-22T06:1\d/);
    expect(times.civilDusk).toBeGreaterThan(times.sunset);
    expect(times.nauticalDusk).toBeGreaterThan(times.civilDusk);
    expect(times.civilDawn).toBeLessThan(times.sunrise);
    expect(times.nauticalDawn).toBeLessThan(times.civilDawn);
  });

  it('marks the polar night: no dusk (dark before the night begins) and no dawn (not before it ends)', () => {
    const times = sunTimesForNight(TROMSO.lat, TROMSO.lon, nightWindow(oslo, '2026-12-21'));
    expect(times.sunset).toBe(Number.NEGATIVE_INFINITY);
    expect(times.sunrise).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isFinite(times.civilDusk)).toBe(true);
  });

  it('gives the midnight sun one instant, solar midnight, for dusk and dawn', () => {
    const times = sunTimesForNight(TROMSO.lat, TROMSO.lon, nightWindow(oslo, '2026-06-21'));
    expect(times.sunset).toBe(times.sunrise);
    expect(oslo.format(times.sunset)).toMatch(/^2026-06-22T00:4\d/);
  });
});
