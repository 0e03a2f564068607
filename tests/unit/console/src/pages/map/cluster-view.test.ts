import { describe, expect, it } from 'vitest';
import { CLUSTER_MAX_ZOOM, clusterClickZoom, viewFeatures } from '#console/src/pages/map/cluster-view.ts';
import { DISPLAY_STATES, displayStates, mergePages } from '#console/src/pages/map/live-table.ts';
import { emptyLiveStatePage, LIVE_STATES } from '#protocol/live-state.ts';

const AT = '2026-11-29T20:00:00.000Z';
const at = Date.parse(AT) / 1000;
const code = (state: (typeof LIVE_STATES)[number]) => LIVE_STATES.indexOf(state);

/** A street of 100 luminaires 10 m apart (lit, one in alarm), and one luminaire 2 km away. */
const count = 101;
const table = mergePages([
  {
    ...emptyLiveStatePage(AT, 900),
    zones: ['cite'],
    streets: ['Rue Trivalle', 'Chemin des Anglais'],
    ids: Array.from({ length: count }, (_, i) => `C-${i}`),
    lon: Array.from({ length: count }, (_, i) => (i === 100 ? 2.39 : 2.36 + i * 0.000125)),
    lat: Array.from({ length: count }, () => 43.2),
    zone: Array.from({ length: count }, () => 0),
    street: Array.from({ length: count }, (_, i) => (i === 100 ? 1 : 0)),
    state: Array.from({ length: count }, (_, i) => (i === 7 ? code('alarm') : code('lit'))),
    level: Array.from({ length: count }, () => 70),
    age: Array.from({ length: count }, () => 60),
  },
]);
const states = displayStates(table, at);
const all = Uint32Array.from({ length: count }, (_, i) => i);
const around = { west: 2.3, south: 43.1, east: 2.45, north: 43.3 };

describe('map clusters of a view', () => {
  it('draws the luminaires of a view as clusters at low zoom, counting those in trouble', () => {
    const { features } = viewFeatures(table, all, states, { ...around, zoom: 12 });
    const clusters = features.filter((f) => 'point_count' in f.properties);
    const single = features.filter((f) => 'id' in f.properties);
    expect(
      clusters.reduce((sum, f) => sum + Number((f.properties as { point_count: number }).point_count), 0),
    ).toBe(100);
    expect(clusters.reduce((sum, f) => sum + Number((f.properties as { trouble: number }).trouble), 0)).toBe(
      1,
    );
    // The lone luminaire 2 km away is a cell of its own: drawn as itself.
    expect(single.map((f) => f.properties)).toEqual([{ id: 'C-100', s: 'lit', l: 70 }]);
  });

  it('draws each luminaire in view, and only those, above the clustering zoom', () => {
    const view = { west: 2.3599, south: 43.199, east: 2.3613, north: 43.201, zoom: CLUSTER_MAX_ZOOM + 1 };
    const { features } = viewFeatures(table, all, states, view);
    expect(features.every((f) => 'id' in f.properties)).toBe(true);
    // C-0..C-10 are inside, with the margin of one cell (48 px) C-11..C-13 as well.
    expect(features.length).toBeGreaterThanOrEqual(11);
    expect(features.length).toBeLessThan(20);
    expect(features.find((f) => (f.properties as { id: string }).id === 'C-7')?.properties).toMatchObject({
      s: DISPLAY_STATES[code('alarm')],
    });
  });

  it('places a cluster at the mean position of its luminaires', () => {
    const { features } = viewFeatures(table, Uint32Array.of(0, 1), states, { ...around, zoom: 12 });
    expect(features).toHaveLength(1);
    const [lon, lat] = (features[0]?.geometry.coordinates ?? []) as number[];
    expect(lon).toBeCloseTo(2.36 + 0.000125 / 2, 7);
    expect(lat).toBeCloseTo(43.2, 7);
  });

  it('keeps only the luminaires the filters kept', () => {
    const { features } = viewFeatures(table, Uint32Array.of(100), states, { ...around, zoom: 12 });
    expect(features).toHaveLength(1);
  });

  it('zooms two steps into a clicked cluster, no further than the first zoom without clusters', () => {
    expect(clusterClickZoom(12.4)).toBe(14);
    expect(clusterClickZoom(15)).toBe(CLUSTER_MAX_ZOOM + 1);
  });
});
