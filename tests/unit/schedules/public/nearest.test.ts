import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { METRES_PER_DEGREE } from '#schedules/geo.ts';
import {
  metresBetween,
  nearestLuminaires,
  SITE_MARGIN_M,
  siteExtent,
  within,
} from '#schedules/public/nearest.ts';

/** Luminaires of a town around Carcassonne: ±0.02° (about 2 km). */
const town = fc.uniqueArray(
  fc.record({
    id: fc.stringMatching(/^L-[0-9]{1,4}$/),
    lat: fc.double({ min: 43.19, max: 43.23, noNaN: true }),
    lon: fc.double({ min: 2.33, max: 2.37, noNaN: true }),
  }),
  { minLength: 1, maxLength: 40, selector: (l) => l.id },
);
const nearTown = fc.record({
  lat: fc.double({ min: 43.18, max: 43.24, noNaN: true }),
  lon: fc.double({ min: 2.32, max: 2.38, noNaN: true }),
});

describe('nearest luminaires to a map point', () => {
  it('are within the distance, nearest first, and no luminaire left out is nearer than one named', () => {
    fc.assert(
      fc.property(town, nearTown, fc.integer({ min: 1, max: 5 }), (luminaires, point, count) => {
        const named = nearestLuminaires(luminaires, point, count, 300);
        expect(named.length).toBeLessThanOrEqual(count);
        for (const n of named) expect(n.metres).toBeLessThanOrEqual(300);
        for (let i = 1; i < named.length; i++) {
          expect(named[i]?.metres).toBeGreaterThanOrEqual(named[i - 1]?.metres ?? 0);
        }
        const ids = new Set(named.map((n) => n.luminaire.id));
        const farthest = named.at(-1)?.metres ?? 0;
        const others = luminaires.filter((l) => !ids.has(l.id) && metresBetween(l, point) <= 300);
        if (named.length === count) {
          for (const l of others) expect(metresBetween(l, point)).toBeGreaterThanOrEqual(farthest);
        } else {
          expect(others).toEqual([]);
        }
      }),
    );
  });

  it('do not depend on the order of the inventory', () => {
    fc.assert(
      fc.property(town, nearTown, (luminaires, point) => {
        const ids = (list: typeof luminaires) =>
          nearestLuminaires(list, point, 3, 500).map((n) => n.luminaire.id);
        expect(ids([...luminaires].reverse())).toEqual(ids(luminaires));
      }),
    );
  });

  it('name the luminaire at the point itself first', () => {
    const luminaires = [
      { id: 'L-1', lat: 43.2068, lon: 2.3644 },
      { id: 'L-2', lat: 43.2068, lon: 2.3654 },
    ];
    expect(
      nearestLuminaires(luminaires, { lat: 43.2068, lon: 2.3654 }, 2, 300).map((n) => n.luminaire.id),
    ).toEqual(['L-2', 'L-1']);
  });
});

describe('the site extent', () => {
  it('holds every luminaire and points up to the margin around them, not a point farther', () => {
    fc.assert(
      fc.property(town, (luminaires) => {
        const extent = siteExtent(luminaires);
        if (extent === undefined) throw new Error('a town has an extent');
        for (const l of luminaires) expect(within(extent, l)).toBe(true);
        const north = Math.max(...luminaires.map((l) => l.lat));
        const lon = luminaires[0]?.lon ?? 0;
        expect(within(extent, { lat: north + (SITE_MARGIN_M - 1) / METRES_PER_DEGREE, lon })).toBe(true);
        expect(within(extent, { lat: north + (SITE_MARGIN_M + 50) / METRES_PER_DEGREE, lon })).toBe(false);
      }),
    );
  });

  it('is none for an empty inventory', () => {
    expect(siteExtent([])).toBeUndefined();
  });
});
