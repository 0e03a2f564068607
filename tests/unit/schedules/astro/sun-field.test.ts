import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  maxFieldError,
  nightWindow,
  SUN_EVENTS,
  SunField,
  sunTimesForNight,
  ZoneClock,
} from '#schedules/index.ts';

/** 20 km boxes around two cities, and a night anywhere in 2026. */
const CITIES = [
  { zone: 'Europe/Paris', lat: 48.8566, lon: 2.3522 },
  { zone: 'Europe/Paris', lat: 43.213, lon: 2.3491 },
  { zone: 'Europe/Oslo', lat: 59.91, lon: 10.75 },
];
const HALF = 0.1;

describe('sun field (grid interpolation of suncalc)', () => {
  it('stays within 1 s of suncalc for every event at random positions in a city, any night', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CITIES),
        fc.integer({ min: 0, max: 364 }),
        fc.array(
          fc.tuple(
            fc.double({ min: -HALF, max: HALF, noNaN: true }),
            fc.double({ min: -HALF, max: HALF, noNaN: true }),
          ),
          {
            minLength: 1,
            maxLength: 20,
          },
        ),
        (city, day, offsets) => {
          const window = nightWindow(ZoneClock.of(city.zone), addDays('2026-01-01', day));
          const field = new SunField(window, {
            minLat: city.lat - HALF,
            maxLat: city.lat + HALF,
            minLon: city.lon - HALF,
            maxLon: city.lon + HALF,
          });
          const points = offsets.map(([dLat, dLon]) => ({ lat: city.lat + dLat, lon: city.lon + dLon }));
          expect(maxFieldError(field, window, points)).toBeLessThan(1);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gives the same times to a luminaire whatever the bounds of the others planned with it', () => {
    const window = nightWindow(ZoneClock.of('Europe/Paris'), '2026-06-21');
    const small = new SunField(window, { minLat: 43.2, maxLat: 43.22, minLon: 2.34, maxLon: 2.36 });
    const large = new SunField(window, { minLat: 42.5, maxLat: 44, minLon: 1.5, maxLon: 3 });
    expect(small.timesAt(43.2113, 2.3517)).toEqual(large.timesAt(43.2113, 2.3517));
  });

  it('is exact in polar night and midnight sun, where events do not occur', () => {
    const oslo = ZoneClock.of('Europe/Oslo');
    for (const night of ['2026-06-21', '2026-12-21', '2026-05-19', '2026-11-27']) {
      const window = nightWindow(oslo, night);
      const field = new SunField(window, { minLat: 69.6, maxLat: 69.7, minLon: 18.9, maxLon: 19.0 });
      const direct = sunTimesForNight(69.65, 18.96, window);
      const viaField = field.timesAt(69.65, 18.96);
      for (const event of SUN_EVENTS) {
        if (Number.isFinite(direct[event])) expect(Math.abs(viaField[event] - direct[event])).toBeLessThan(1);
        else expect(viaField[event]).toBe(direct[event]);
      }
    }
  });
});
