import { describe, expect, it } from 'vitest';
import {
  countStates,
  DISPLAY_STATES,
  displayState,
  displayStates,
  filtered,
  JoinedIds,
  LiveTableBuilder,
  luminaireFeatures,
  mergePages,
  search,
} from '#console/src/pages/map/live-table.ts';
import { emptyLiveStatePage, LIVE_STATES } from '#protocol/live-state.ts';
import type { LiveStatePage } from '#protocol/live-state-page.ts';

const AT = '2026-11-29T20:00:00.000Z';
const at = Date.parse(AT) / 1000;
const code = (state: (typeof LIVE_STATES)[number]) => LIVE_STATES.indexOf(state);

const page = (fields: Partial<LiveStatePage>): LiveStatePage => ({
  ...emptyLiveStatePage(AT, 900),
  ...fields,
});

const pages = [
  page({
    zones: ['bastide'],
    streets: ['Rue de Verdun', "Rue de l'Évêché"],
    ids: ['B-1', 'B-2', 'B-3'],
    lon: [2.35, 2.352, 2.351],
    lat: [43.21, 43.2101, 43.2102],
    zone: [0, 0, 0],
    street: [0, 0, 1],
    state: [code('lit'), code('boosted'), code('alarm')],
    level: [70, 100, 0],
    age: [60, 60, 1_000],
  }),
  page({
    zones: ['cite', 'bastide'],
    streets: ['Rue Trivalle', 'Rue de Verdun'],
    ids: ['C-1', 'B-4'],
    lon: [2.364, 2.353],
    lat: [43.206, 43.2102],
    zone: [0, 1],
    street: [0, 1],
    state: [code('off'), code('unknown')],
    level: [0, 0],
    age: [100, -1],
  }),
];
const table = mergePages(pages);
const idsOf = (joined: typeof table) => Array.from({ length: joined.ids.length }, (_, i) => joined.ids.at(i));

describe('map live table', () => {
  it('joins pages with one list of zone and street names', () => {
    expect(table.zones).toEqual(['bastide', 'cite']);
    expect(table.streets).toEqual(['Rue de Verdun', "Rue de l'Évêché", 'Rue Trivalle']);
    expect([...table.zone]).toEqual([0, 0, 0, 1, 0]);
    expect([...table.street]).toEqual([0, 0, 1, 2, 0]);
  });

  it('joins pages one at a time as they come into the same table, with more room made when they outgrow it', () => {
    const columns = (joined: typeof table) => ({
      ...joined,
      ids: idsOf(joined),
      lon: [...joined.lon],
      x: [...joined.x],
      age: [...joined.age],
    });
    for (const capacity of [0, 1, 5, 8]) {
      const builder = new LiveTableBuilder(capacity);
      builder.add(pages[0] as LiveStatePage);
      expect(idsOf(builder.table())).toEqual(['B-1', 'B-2', 'B-3']);
      builder.add(pages[1] as LiveStatePage);
      const joined = builder.table();
      expect(joined.lon).toHaveLength(5);
      expect(columns(joined)).toEqual(columns(table));
    }
    expect(idsOf(table)).toEqual(['B-1', 'B-2', 'B-3', 'C-1', 'B-4']);
  });

  it('cuts each id from the ids written end to end only when asked, and none outside them', () => {
    const ids = new JoinedIds('B-1LUM-22é', Uint32Array.of(3, 9, 10));
    expect(ids.length).toBe(3);
    expect([0, 1, 2].map((i) => ids.at(i))).toEqual(['B-1', 'LUM-22', 'é']);
    expect(ids.at(3)).toBeUndefined();
    expect(ids.at(-1)).toBeUndefined();
  });

  it("shows the snapshot's state, and not reporting once the report is older than two intervals when looked at", () => {
    expect([0, 1, 2, 3, 4].map((i) => displayState(table, i, at))).toEqual([
      'lit',
      'boosted',
      'alarm',
      'off',
      'unknown',
    ]);
    // Ten minutes later: the report of B-3 (1,000 s old) is now older than 2 × 900 s.
    expect(displayState(table, 2, at + 801)).toBe('silent');
    expect(displayState(table, 0, at + 801)).toBe('lit');
    expect(displayState(table, 4, at + 100_000)).toBe('unknown');
    expect([...displayStates(table, at + 801)]).toEqual(
      ['lit', 'boosted', 'silent', 'off', 'unknown'].map((state) => DISPLAY_STATES.indexOf(state as never)),
    );
  });

  it('filters by zone and street, and counts the states shown', () => {
    const bastide = filtered(table, { zone: 0 });
    expect([...bastide]).toEqual([0, 1, 2, 4]);
    expect([...filtered(table, { zone: 0, street: 0 })]).toEqual([0, 1, 4]);
    expect(countStates(bastide, displayStates(table, at))).toEqual({
      unknown: 1,
      off: 0,
      lit: 1,
      boosted: 1,
      alarm: 1,
      silent: 0,
    });
  });

  it('draws luminaires as points with their id, display state and level', () => {
    const points = luminaireFeatures(table, [1], displayStates(table, at));
    expect(points.features[0]).toMatchObject({
      geometry: { coordinates: [2.352, 43.2101] },
      properties: { id: 'B-2', s: 'boosted', l: 100 },
    });
  });

  it('finds a luminaire by the start of its id and a street by part of its name, accents aside', () => {
    expect(search(table, 'c-')).toEqual([{ kind: 'luminaire', index: 3, label: 'C-1' }]);
    expect(search(table, 'eveche')).toEqual([
      { kind: 'street', street: 1, zone: 0, label: "Rue de l'Évêché (bastide)" },
    ]);
    expect(search(table, 'verdun').map((hit) => hit.label)).toEqual(['Rue de Verdun (bastide)']);
    expect(search(table, '  ')).toEqual([]);
  });
});
