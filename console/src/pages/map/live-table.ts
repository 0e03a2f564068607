import { isSilentAt, LIVE_STATES, type LiveStatePage, NameList } from '#protocol/live-state.ts';

/** What the map shows for a luminaire: its stored state, or "not reporting" derived when looked at. */
export const DISPLAY_STATES = [...LIVE_STATES, 'silent'] as const;
export type DisplayState = (typeof DISPLAY_STATES)[number];

/** Every page of `GET /luminaires/state` end to end, zone and street indexes made site-wide. */
export interface LiveTable {
  readonly at: string | null;
  readonly reportIntervalSeconds: number;
  readonly zones: readonly string[];
  readonly streets: readonly string[];
  readonly ids: readonly string[];
  readonly lon: readonly number[];
  readonly lat: readonly number[];
  readonly zone: readonly number[];
  readonly street: readonly number[];
  readonly state: readonly number[];
  readonly level: readonly number[];
  readonly age: readonly number[];
}

/** Joins pages: each page lists its own zones and streets, the table lists each name once. */
export function mergePages(pages: readonly LiveStatePage[]): LiveTable {
  const zones = new NameList();
  const streets = new NameList();
  const table = {
    at: pages[0]?.at ?? null,
    reportIntervalSeconds: pages[0]?.reportIntervalSeconds ?? 900,
    zones: zones.names,
    streets: streets.names,
    ids: [] as string[],
    lon: [] as number[],
    lat: [] as number[],
    zone: [] as number[],
    street: [] as number[],
    state: [] as number[],
    level: [] as number[],
    age: [] as number[],
  };
  for (const page of pages) {
    const zoneMap = page.zones.map((name) => zones.indexOf(name));
    const streetMap = page.streets.map((name) => streets.indexOf(name));
    for (let i = 0; i < page.ids.length; i++) {
      table.ids.push(page.ids[i] ?? '');
      table.lon.push(page.lon[i] ?? 0);
      table.lat.push(page.lat[i] ?? 0);
      table.zone.push(zoneMap[page.zone[i] ?? 0] ?? 0);
      table.street.push(streetMap[page.street[i] ?? 0] ?? 0);
      table.state.push(page.state[i] ?? 0);
      table.level.push(page.level[i] ?? 0);
      table.age.push(page.age[i] ?? -1);
    }
  }
  return table;
}

/**
 * The state of luminaire `i` seen at `now` (epoch seconds): not reporting once its last report is
 * older than two report intervals, whatever the snapshot said, else the snapshot's state.
 */
export function displayState(table: LiveTable, i: number, now: number): DisplayState {
  const elapsed = table.at === null ? 0 : Math.max(0, now - Date.parse(table.at) / 1000);
  if (isSilentAt(table.age[i] ?? -1, elapsed, table.reportIntervalSeconds)) return 'silent';
  return LIVE_STATES[table.state[i] ?? 0] ?? 'unknown';
}

export interface MapFilter {
  /** Index into `zones`, or undefined for every zone. */
  readonly zone?: number | undefined;
  /** Index into `streets`, or undefined for every street. */
  readonly street?: number | undefined;
}

const passes = (table: LiveTable, i: number, filter: MapFilter): boolean =>
  (filter.zone === undefined || table.zone[i] === filter.zone) &&
  (filter.street === undefined || table.street[i] === filter.street);

/** Indexes of the luminaires the filter keeps. */
export function filtered(table: LiveTable, filter: MapFilter): number[] {
  const kept: number[] = [];
  for (let i = 0; i < table.ids.length; i++) if (passes(table, i, filter)) kept.push(i);
  return kept;
}

/** How many of the kept luminaires are in each state. */
export function countStates(
  table: LiveTable,
  kept: readonly number[],
  now: number,
): Record<DisplayState, number> {
  const counts = Object.fromEntries(DISPLAY_STATES.map((state) => [state, 0])) as Record<
    DisplayState,
    number
  >;
  for (const i of kept) counts[displayState(table, i, now)] += 1;
  return counts;
}

/** The luminaires as GeoJSON points: `id`, display state `s`, level `l`. */
export function luminaireFeatures(table: LiveTable, kept: readonly number[], now: number) {
  return {
    type: 'FeatureCollection' as const,
    features: kept.map((i) => ({
      type: 'Feature' as const,
      id: i,
      geometry: { type: 'Point' as const, coordinates: [table.lon[i] ?? 0, table.lat[i] ?? 0] },
      properties: { id: table.ids[i] ?? '', s: displayState(table, i, now), l: table.level[i] ?? 0 },
    })),
  };
}

/**
 * The streets the inventory implies: per zone and street, a line through its luminaires in order
 * along the street's longer extent (east-west or north-south). No tile server needed.
 */
export function streetFeatures(table: LiveTable, kept: readonly number[]) {
  const groups = new Map<string, number[]>();
  for (const i of kept) {
    const key = `${table.zone[i]}|${table.street[i]}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [i]);
    else group.push(i);
  }
  const features = [];
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const lons = members.map((i) => table.lon[i] ?? 0);
    const lats = members.map((i) => table.lat[i] ?? 0);
    const alongLon = Math.max(...lons) - Math.min(...lons) >= Math.max(...lats) - Math.min(...lats);
    const sorted = [...members].sort((a, b) =>
      alongLon ? (table.lon[a] ?? 0) - (table.lon[b] ?? 0) : (table.lat[a] ?? 0) - (table.lat[b] ?? 0),
    );
    const first = sorted[0] ?? 0;
    features.push({
      type: 'Feature' as const,
      geometry: {
        type: 'LineString' as const,
        coordinates: sorted.map((i) => [table.lon[i] ?? 0, table.lat[i] ?? 0]),
      },
      properties: { street: table.streets[table.street[first] ?? 0] ?? '' },
    });
  }
  return { type: 'FeatureCollection' as const, features };
}

export type SearchHit =
  | { readonly kind: 'luminaire'; readonly index: number; readonly label: string }
  | { readonly kind: 'street'; readonly street: number; readonly zone: number; readonly label: string };

/** Lower case without accents: "Rue de l'Évêché" is found as "eveche". */
export const fold = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

/** Luminaires whose id starts with the query and streets whose name contains it (at most `limit`). */
export function search(table: LiveTable, query: string, limit = 20): SearchHit[] {
  const needle = fold(query.trim());
  if (needle.length === 0) return [];
  const hits: SearchHit[] = [];
  const seenStreets = new Set<string>();
  for (let i = 0; i < table.ids.length && hits.length < limit; i++) {
    const street = table.street[i] ?? 0;
    const zone = table.zone[i] ?? 0;
    const key = `${zone}|${street}`;
    const streetName = table.streets[street] ?? '';
    if (!seenStreets.has(key) && fold(streetName).includes(needle)) {
      seenStreets.add(key);
      hits.push({ kind: 'street', street, zone, label: `${streetName} (${table.zones[zone] ?? ''})` });
    }
  }
  for (let i = 0; i < table.ids.length && hits.length < limit; i++) {
    const id = table.ids[i] ?? '';
    if (fold(id).startsWith(needle)) hits.push({ kind: 'luminaire', index: i, label: id });
  }
  return hits;
}
