import { isSilentAt, LIVE_STATES, NameList } from '#protocol/live-state.ts';
import type { LiveStatePageHead } from '#protocol/live-state-page.ts';

/** What the map shows for a luminaire: its stored state, or "not reporting" derived when looked at. */
export const DISPLAY_STATES = [...LIVE_STATES, 'silent'] as const;
export type DisplayState = (typeof DISPLAY_STATES)[number];

/** The luminaires' ids by index: an array, or `JoinedIds`. */
export interface IdList {
  readonly length: number;
  at(index: number): string | undefined;
}

/**
 * Ids written end to end and cut only when one is asked for: the page holds one string and where
 * each id ends, not 200,000 strings for the garbage collector to move (their copying was most of
 * the collection that followed the table's arrival).
 */
export class JoinedIds implements IdList {
  /** `ends[i]`: where id `i` ends in `text` (UTF-16 units), so where id `i + 1` starts. */
  constructor(
    readonly text: string,
    readonly ends: Uint32Array,
  ) {}

  get length(): number {
    return this.ends.length;
  }

  at(index: number): string | undefined {
    if (index < 0 || index >= this.ends.length) return undefined;
    return this.text.slice(index === 0 ? 0 : this.ends[index - 1], this.ends[index]);
  }
}

/**
 * Every page of `GET /luminaires/state` end to end, zone and street indexes made site-wide, in typed
 * arrays: 200,000 luminaires are a few flat buffers (handed from the feed worker without a copy)
 * rather than 200,000 objects for the garbage collector. `x`/`y` are the positions in Web Mercator
 * (0..1 across the world), what the map's clustering bins.
 */
export interface LiveTable {
  readonly at: string | null;
  readonly reportIntervalSeconds: number;
  readonly zones: readonly string[];
  readonly streets: readonly string[];
  readonly ids: IdList;
  readonly lon: Float64Array;
  readonly lat: Float64Array;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly zone: Uint32Array;
  readonly street: Uint32Array;
  readonly state: Uint8Array;
  readonly level: Uint8Array;
  readonly age: Int32Array;
}

/** Web Mercator, 0..1 west to east and north to south (MapLibre's world coordinates). */
export function mercatorX(lon: number): number {
  return (lon + 180) / 360;
}
export function mercatorY(lat: number): number {
  // Clamped where Web Mercator ends (a map zoomed far out shows latitudes beyond it).
  const sin = Math.sin((Math.max(-85.06, Math.min(85.06, lat)) * Math.PI) / 180);
  return 0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI);
}
export function mercatorLon(x: number): number {
  return x * 360 - 180;
}
export function mercatorLat(y: number): number {
  return (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI;
}

/** A page's columns, as the binary format decodes them (typed arrays) or as JSON holds them. */
export type PageColumns = LiveStatePageHead & { readonly ids: readonly string[] } & Readonly<
    Record<'lon' | 'lat' | 'zone' | 'street' | 'state' | 'level' | 'age', ArrayLike<number>>
  >;

type Column = Float64Array | Uint32Array | Uint8Array | Int32Array;

/** The column with room for `size` entries: the same one when it has it, else a larger copy. */
function withRoom<T extends Column>(column: T, size: number): T {
  if (size <= column.length) return column;
  const larger = new (column.constructor as new (length: number) => T)(Math.max(size, column.length * 2));
  larger.set(column);
  return larger;
}

/**
 * Pages joined into one table as they come (each page lists its own zones and streets, the table
 * each name once), in columns allocated once for `capacity` luminaires (grown if more come): the
 * last page's arrival leaves only that page to join, not all of them.
 */
export class LiveTableBuilder {
  readonly #zones = new NameList();
  readonly #streets = new NameList();
  /** Each page's ids end to end, and where each id ends in all of them together. */
  readonly #idText: string[] = [];
  #idEnd: Uint32Array;
  #count = 0;
  #head: Pick<LiveTable, 'at' | 'reportIntervalSeconds'> | undefined;
  #lon: Float64Array;
  #lat: Float64Array;
  #x: Float64Array;
  #y: Float64Array;
  #zone: Uint32Array;
  #street: Uint32Array;
  #state: Uint8Array;
  #level: Uint8Array;
  #age: Int32Array;

  constructor(capacity: number) {
    this.#idEnd = new Uint32Array(capacity);
    this.#lon = new Float64Array(capacity);
    this.#lat = new Float64Array(capacity);
    this.#x = new Float64Array(capacity);
    this.#y = new Float64Array(capacity);
    this.#zone = new Uint32Array(capacity);
    this.#street = new Uint32Array(capacity);
    this.#state = new Uint8Array(capacity);
    this.#level = new Uint8Array(capacity);
    this.#age = new Int32Array(capacity);
  }

  add(page: PageColumns): void {
    this.#head ??= { at: page.at, reportIntervalSeconds: page.reportIntervalSeconds };
    const from = this.#count;
    const size = from + page.ids.length;
    this.#idEnd = withRoom(this.#idEnd, size);
    this.#lon = withRoom(this.#lon, size);
    this.#lat = withRoom(this.#lat, size);
    this.#x = withRoom(this.#x, size);
    this.#y = withRoom(this.#y, size);
    this.#zone = withRoom(this.#zone, size);
    this.#street = withRoom(this.#street, size);
    this.#state = withRoom(this.#state, size);
    this.#level = withRoom(this.#level, size);
    this.#age = withRoom(this.#age, size);
    const zoneMap = page.zones.map((name) => this.#zones.indexOf(name));
    const streetMap = page.streets.map((name) => this.#streets.indexOf(name));
    // The columns in locals: the loop runs 200,000 times.
    const [idEnd, lonOut, latOut, x, y, zone, street, state, level, age] = [
      this.#idEnd,
      this.#lon,
      this.#lat,
      this.#x,
      this.#y,
      this.#zone,
      this.#street,
      this.#state,
      this.#level,
      this.#age,
    ];
    let end = from === 0 ? 0 : (idEnd[from - 1] ?? 0);
    for (let i = 0, at = from; i < page.ids.length; i++, at++) {
      const lon = page.lon[i] ?? 0;
      const lat = page.lat[i] ?? 0;
      end += page.ids[i]?.length ?? 0;
      idEnd[at] = end;
      lonOut[at] = lon;
      latOut[at] = lat;
      x[at] = mercatorX(lon);
      y[at] = mercatorY(lat);
      zone[at] = zoneMap[page.zone[i] ?? 0] ?? 0;
      street[at] = streetMap[page.street[i] ?? 0] ?? 0;
      state[at] = page.state[i] ?? 0;
      level[at] = page.level[i] ?? 0;
      age[at] = page.age[i] ?? -1;
    }
    this.#idText.push(page.ids.join(''));
    this.#count = size;
  }

  /** The pages added so far, each column cut to them (views of the builder's buffers, not copies). */
  table(): LiveTable & { readonly ids: JoinedIds } {
    const count = this.#count;
    return {
      at: this.#head?.at ?? null,
      reportIntervalSeconds: this.#head?.reportIntervalSeconds ?? 900,
      zones: this.#zones.names,
      streets: this.#streets.names,
      ids: new JoinedIds(this.#idText.join(''), this.#idEnd.subarray(0, count)),
      lon: this.#lon.subarray(0, count),
      lat: this.#lat.subarray(0, count),
      x: this.#x.subarray(0, count),
      y: this.#y.subarray(0, count),
      zone: this.#zone.subarray(0, count),
      street: this.#street.subarray(0, count),
      state: this.#state.subarray(0, count),
      level: this.#level.subarray(0, count),
      age: this.#age.subarray(0, count),
    };
  }
}

/** Joins pages: each page lists its own zones and streets, the table lists each name once. */
export function mergePages(pages: readonly PageColumns[]): ReturnType<LiveTableBuilder['table']> {
  const builder = new LiveTableBuilder(pages.reduce((sum, page) => sum + page.ids.length, 0));
  for (const page of pages) builder.add(page);
  return builder.table();
}

const elapsedSince = (table: LiveTable, now: number): number =>
  table.at === null ? 0 : Math.max(0, now - Date.parse(table.at) / 1000);

const SILENT = DISPLAY_STATES.indexOf('silent');

const displayCode = (table: LiveTable, i: number, elapsed: number): number =>
  isSilentAt(table.age[i] ?? -1, elapsed, table.reportIntervalSeconds) ? SILENT : (table.state[i] ?? 0);

/**
 * The state of luminaire `i` seen at `now` (epoch seconds): not reporting once its last report is
 * older than two report intervals, whatever the snapshot said, else the snapshot's state.
 */
export function displayState(table: LiveTable, i: number, now: number): DisplayState {
  return DISPLAY_STATES[displayCode(table, i, elapsedSince(table, now))] ?? 'unknown';
}

/** Every luminaire's display state at `now`, as indexes into DISPLAY_STATES (what the map draws). */
export function displayStates(table: LiveTable, now: number): Uint8Array {
  const elapsed = elapsedSince(table, now);
  const codes = new Uint8Array(table.ids.length);
  for (let i = 0; i < codes.length; i++) codes[i] = displayCode(table, i, elapsed);
  return codes;
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

/**
 * Indexes of the luminaires the filter keeps, in a typed array: every luminaire as the map opens,
 * one buffer rather than an array of 200,000 numbers grown push by push.
 */
export function filtered(table: LiveTable, filter: MapFilter): Uint32Array {
  const kept = new Uint32Array(table.ids.length);
  let count = 0;
  for (let i = 0; i < table.ids.length; i++) if (passes(table, i, filter)) kept[count++] = i;
  return kept.subarray(0, count);
}

/** How many of the kept luminaires are in each state (`states` from displayStates). */
export function countStates(kept: ArrayLike<number>, states: Uint8Array): Record<DisplayState, number> {
  const counts = new Uint32Array(DISPLAY_STATES.length);
  for (let k = 0; k < kept.length; k++) {
    const code = states[kept[k] ?? 0] ?? 0;
    counts[code] = (counts[code] ?? 0) + 1;
  }
  return Object.fromEntries(DISPLAY_STATES.map((state, code) => [state, counts[code] ?? 0])) as Record<
    DisplayState,
    number
  >;
}

/** Luminaires as GeoJSON points: `id`, display state `s`, level `l` (the few the map draws one by one). */
export function luminaireFeatures(table: LiveTable, kept: ArrayLike<number>, states: Uint8Array) {
  return {
    type: 'FeatureCollection' as const,
    features: Array.from(kept, (i) => ({
      type: 'Feature' as const,
      id: i,
      geometry: { type: 'Point' as const, coordinates: [table.lon[i] ?? 0, table.lat[i] ?? 0] },
      properties: {
        id: table.ids.at(i) ?? '',
        s: DISPLAY_STATES[states[i] ?? 0] ?? 'unknown',
        l: table.level[i] ?? 0,
      },
    })),
  };
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
    const id = table.ids.at(i) ?? '';
    if (fold(id).startsWith(needle)) hits.push({ kind: 'luminaire', index: i, label: id });
  }
  return hits;
}
