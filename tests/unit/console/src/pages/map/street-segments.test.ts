import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mercatorX, mercatorY, mergePages } from '#console/src/pages/map/live-table.ts';
import { SEGMENT_FLOATS, streetLines, streetSegments } from '#console/src/pages/map/street-segments.ts';
import { streetWidth } from '#console/src/pages/map/streets-layer.ts';
import { emptyLiveStatePage } from '#protocol/live-state.ts';
import type { LiveStatePage } from '#protocol/live-state-page.ts';

const page = (fields: Partial<LiveStatePage>): LiveStatePage => ({
  ...emptyLiveStatePage('2026-11-29T20:00:00.000Z', 900),
  state: (fields.ids ?? []).map(() => 0),
  level: (fields.ids ?? []).map(() => 0),
  age: (fields.ids ?? []).map(() => -1),
  ...fields,
});

const bastide = mergePages([
  page({
    zones: ['bastide', 'cite'],
    streets: ['Rue de Verdun', "Rue de l'Évêché", 'Rue Trivalle'],
    ids: ['B-1', 'B-2', 'B-3', 'B-4', 'C-1'],
    lon: [2.35, 2.352, 2.351, 2.353, 2.364],
    lat: [43.21, 43.2101, 43.2102, 43.2102, 43.206],
    zone: [0, 0, 0, 0, 1],
    street: [0, 0, 1, 0, 2],
  }),
]);

describe('the streets the inventory implies', () => {
  it('draws each street through its luminaires in order along its longer extent, none for a lone luminaire', () => {
    expect(streetLines(bastide)).toEqual([{ zone: 0, street: 0, points: [0, 1, 3] }]);
    const northward = mergePages([
      page({
        zones: ['cite'],
        streets: ['Rue Barbacane'],
        ids: ['N-1', 'N-2', 'N-3'],
        lon: [2.36, 2.3601, 2.3599],
        lat: [43.21, 43.2, 43.205],
        zone: [0, 0, 0],
        street: [0, 0, 0],
      }),
    ]);
    expect(streetLines(northward)[0]?.points).toEqual([1, 2, 0]);
  });

  it('keeps a street of the same name in two zones as two lines', () => {
    const twoZones = mergePages([
      page({
        zones: ['bastide', 'cite'],
        streets: ['Rue de Verdun'],
        ids: ['A', 'B', 'C', 'D'],
        lon: [2.35, 2.351, 2.36, 2.361],
        lat: [43.21, 43.21, 43.2, 43.2],
        zone: [0, 0, 1, 1],
        street: [0, 0, 0, 0],
      }),
    ]);
    expect(streetLines(twoZones)).toEqual([
      { zone: 0, street: 0, points: [0, 1] },
      { zone: 1, street: 0, points: [2, 3] },
    ]);
  });

  it('drops the street points a metre or less off the line through their neighbours', () => {
    const straight = mergePages([
      page({
        zones: ['cite'],
        streets: ['Rue Trivalle'],
        ids: ['C-1', 'C-2', 'C-3', 'C-4', 'C-5'],
        lon: [2.36, 2.361, 2.362, 2.363, 2.364],
        lat: [43.2, 43.200001, 43.2, 43.2, 43.201],
        zone: [0, 0, 0, 0, 0],
        street: [0, 0, 0, 0, 0],
      }),
    ]);
    expect(streetLines(straight)[0]?.points).toEqual([0, 3, 4]);
  });

  it('hands the GPU a segment between each two points of a line, from an origin in the site, with its zone and street', () => {
    const { originX, originY, segments } = streetSegments(bastide);
    expect([originX, originY]).toEqual([mercatorX(2.35), mercatorY(43.21)]);
    expect(segments).toHaveLength(2 * SEGMENT_FLOATS);
    const at = (k: number) => {
      const [fx, fy, tx, ty, zone, street] = segments.subarray(k * SEGMENT_FLOATS, (k + 1) * SEGMENT_FLOATS);
      return { from: [fx, fy], to: [tx, ty], zone, street };
    };
    const near = (lon: number, lat: number) => [
      Math.fround(mercatorX(lon) - originX),
      Math.fround(mercatorY(lat) - originY),
    ];
    expect(at(0)).toEqual({ from: near(2.35, 43.21), to: near(2.352, 43.2101), zone: 0, street: 0 });
    expect(at(1)).toEqual({ from: near(2.352, 43.2101), to: near(2.353, 43.2102), zone: 0, street: 0 });
  });

  it('keeps every street point within a centimetre in the 32-bit floats the GPU takes, anywhere a city is', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -179, max: 179, noNaN: true }),
        fc.double({ min: -80, max: 80, noNaN: true }),
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 0.2, noNaN: true }),
            fc.double({ min: 0, max: 0.2, noNaN: true }),
          ),
          {
            minLength: 2,
            maxLength: 20,
          },
        ),
        (lon0, lat0, offsets) => {
          const lon = offsets.map(([dx]) => lon0 + dx);
          const lat = offsets.map(([, dy]) => lat0 + dy);
          const table = mergePages([
            page({
              zones: ['z'],
              streets: ['s'],
              ids: offsets.map((_, i) => `L-${i}`),
              lon,
              lat,
              zone: offsets.map(() => 0),
              street: offsets.map(() => 0),
            }),
          ]);
          const { originX, originY, segments } = streetSegments(table);
          // A centimetre in Web Mercator units at this latitude (the world is 40,075 km round).
          const centimetre = 0.01 / (40_075_016 * Math.cos((lat0 * Math.PI) / 180));
          const [line] = streetLines(table);
          line?.points.slice(0, -1).forEach((i, k) => {
            expect(
              Math.abs(originX + (segments[k * SEGMENT_FLOATS] ?? 0) - mercatorX(lon[i] ?? 0)),
            ).toBeLessThan(centimetre);
            expect(
              Math.abs(originY + (segments[k * SEGMENT_FLOATS + 1] ?? 0) - mercatorY(lat[i] ?? 0)),
            ).toBeLessThan(centimetre);
          });
        },
      ),
    );
  });

  it('has no segment for a site without luminaires', () => {
    expect(streetSegments(mergePages([page({})])).segments).toHaveLength(0);
  });

  it('draws streets a pixel wide from afar, six at street level', () => {
    expect([10, 12, 15, 18, 20].map(streetWidth)).toEqual([1, 1, 3.5, 6, 6]);
  });
});
