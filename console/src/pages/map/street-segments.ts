import type { LiveTable } from './live-table.ts';

/** About a metre in degrees: street points closer than this to the drawn line add nothing visible. */
const STREET_TOLERANCE = 1e-5;

/** Douglas-Peucker: the points of a polyline (indexes into lon/lat) that keep its shape within `tolerance`. */
function simplified(points: readonly number[], lon: Float64Array, lat: Float64Array, tolerance: number) {
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length > 0) {
    const [from, to] = stack.pop() as [number, number];
    const a = points[from] ?? 0;
    const b = points[to] ?? 0;
    const [ax, ay, bx, by] = [lon[a] ?? 0, lat[a] ?? 0, lon[b] ?? 0, lat[b] ?? 0];
    const length = Math.hypot(bx - ax, by - ay) || 1e-12;
    let farthest = -1;
    let distance = tolerance;
    for (let k = from + 1; k < to; k++) {
      const p = points[k] ?? 0;
      const d = Math.abs((bx - ax) * (ay - (lat[p] ?? 0)) - (ax - (lon[p] ?? 0)) * (by - ay)) / length;
      if (d > distance) [farthest, distance] = [k, d];
    }
    if (farthest > 0) {
      keep[farthest] = 1;
      stack.push([from, farthest], [farthest, to]);
    }
  }
  return points.filter((_, k) => keep[k] === 1);
}

/** What the streets are drawn from: the table's columns of where each luminaire is. */
export type StreetColumns = Pick<LiveTable, 'streets' | 'lon' | 'lat' | 'x' | 'y' | 'zone' | 'street'>;

/** A street as the inventory implies it: its zone and street indexes, its luminaires along it. */
export interface StreetLine {
  readonly zone: number;
  readonly street: number;
  /** Indexes into the table, in order along the street, simplified to about a metre. */
  readonly points: readonly number[];
}

/**
 * The streets the inventory implies: per zone and street, a line through its luminaires in order
 * along the street's longer extent (east-west or north-south), simplified to about a metre. No tile
 * server needed. A street of one luminaire has no line.
 */
export function streetLines(table: StreetColumns): StreetLine[] {
  const groups = new Map<number, number[]>();
  const streetCount = table.streets.length;
  for (let i = 0; i < table.lon.length; i++) {
    const key = (table.zone[i] ?? 0) * streetCount + (table.street[i] ?? 0);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [i]);
    else group.push(i);
  }
  const lines: StreetLine[] = [];
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    let [west, east, south, north] = [180, -180, 90, -90];
    for (const i of members) {
      west = Math.min(west, table.lon[i] ?? 0);
      east = Math.max(east, table.lon[i] ?? 0);
      south = Math.min(south, table.lat[i] ?? 0);
      north = Math.max(north, table.lat[i] ?? 0);
    }
    const along = east - west >= north - south ? table.lon : table.lat;
    const sorted = [...members].sort((a, b) => (along[a] ?? 0) - (along[b] ?? 0));
    const first = sorted[0] ?? 0;
    lines.push({
      zone: table.zone[first] ?? 0,
      street: table.street[first] ?? 0,
      points: simplified(sorted, table.lon, table.lat, STREET_TOLERANCE),
    });
  }
  return lines;
}

/** The floats of a segment in `StreetSegments.segments`: from x, y, to x, y, zone, street. */
export const SEGMENT_FLOATS = 6;

/**
 * The streets as the map's GPU draws them (streets-layer.ts): a segment between each two
 * consecutive points of each line, in Web Mercator units from an origin in the site, so 32-bit
 * floats keep them to the millimetre (from the world's corner they would be metres off).
 */
export interface StreetSegments {
  readonly originX: number;
  readonly originY: number;
  /** SEGMENT_FLOATS a segment. */
  readonly segments: Float32Array;
}

export function streetSegments(table: StreetColumns): StreetSegments {
  const lines = streetLines(table);
  // Any luminaire of the site is near enough its middle: a city spans a thousandth of the world.
  const originX = table.x[0] ?? 0;
  const originY = table.y[0] ?? 0;
  let count = 0;
  for (const line of lines) count += line.points.length - 1;
  const segments = new Float32Array(count * SEGMENT_FLOATS);
  let at = 0;
  for (const { zone, street, points } of lines) {
    for (let k = 1; k < points.length; k++) {
      const from = points[k - 1] ?? 0;
      const to = points[k] ?? 0;
      segments.set(
        [
          (table.x[from] ?? 0) - originX,
          (table.y[from] ?? 0) - originY,
          (table.x[to] ?? 0) - originX,
          (table.y[to] ?? 0) - originY,
          zone,
          street,
        ],
        at,
      );
      at += SEGMENT_FLOATS;
    }
  }
  return { originX, originY, segments };
}
