import { SUN_EVENTS, type SunEvent } from '../config/schema.ts';
import type { NightWindow } from '../time/night.ts';
import { type NightSunTimes, sunTimesForNight } from './sun-times.ts';

const EVENT_COUNT = SUN_EVENTS.length;
/** Grid spacing: 0.02° is about 2 km; bilinear interpolation over it stays far below a second. */
export const DEFAULT_CELL_DEGREES = 0.02;
/** Largest interpolation error tolerated in a cell before its luminaires get suncalc directly. */
const MAX_CELL_ERROR_SECONDS = 0.25;
/** Beyond this many grid nodes (an inventory spread over a whole country) every lookup is direct. */
const MAX_NODES = 250_000;

export interface Bounds {
  readonly minLat: number;
  readonly maxLat: number;
  readonly minLon: number;
  readonly maxLon: number;
}

export function boundsOf(points: readonly { readonly lat: number; readonly lon: number }[]): Bounds {
  let minLat = Infinity;
  let maxLat = -Infinity;
  let minLon = Infinity;
  let maxLon = -Infinity;
  for (let i = 0; i < points.length; i++) {
    const { lat, lon } = points[i] as { readonly lat: number; readonly lon: number };
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
    if (lon < minLon) minLon = lon;
    if (lon > maxLon) maxLon = lon;
  }
  return { minLat, maxLat, minLon, maxLon };
}

/**
 * The sun events of one night over an area, computed with suncalc on a fixed global lattice of
 * `cellDegrees` and bilinearly interpolated in between, so planning a city calls suncalc a few
 * hundred times instead of once per luminaire. Because the lattice is global, a luminaire gets the
 * same times whatever other luminaires are planned with it.
 *
 * Each cell is checked once, lazily, against suncalc at its centre (where bilinear interpolation of
 * a smooth field errs most); a cell erring by more than MAX_CELL_ERROR_SECONDS, or where an event
 * occurs at some corners and not at others (edge of polar day or night), is answered by suncalc
 * directly.
 */
export class SunField {
  private readonly lat0: number;
  private readonly lon0: number;
  private readonly rows: number;
  private readonly cols: number;
  /** Node values, EVENT_COUNT per node; NaN until computed. */
  private readonly nodes: Float64Array;
  /** Per cell: 0 unchecked, 1 interpolate, 2 direct. */
  private readonly cellMode: Uint8Array;
  private readonly enabled: boolean;

  constructor(
    private readonly window: NightWindow,
    bounds: Bounds,
    private readonly cellDegrees = DEFAULT_CELL_DEGREES,
  ) {
    this.lat0 = Math.floor(bounds.minLat / cellDegrees);
    this.lon0 = Math.floor(bounds.minLon / cellDegrees);
    this.rows = Math.max(1, Math.floor(bounds.maxLat / cellDegrees) - this.lat0 + 1);
    this.cols = Math.max(1, Math.floor(bounds.maxLon / cellDegrees) - this.lon0 + 1);
    const nodeCount = (this.rows + 1) * (this.cols + 1);
    this.enabled = Number.isFinite(nodeCount) && nodeCount <= MAX_NODES;
    this.nodes = new Float64Array(this.enabled ? nodeCount * EVENT_COUNT : 0).fill(Number.NaN);
    this.cellMode = new Uint8Array(this.enabled ? this.rows * this.cols : 0);
  }

  /**
   * Fills `out` (one value per SUN_EVENTS entry) with the events at a position; a position outside
   * the bounds gets suncalc directly.
   */
  fill(lat: number, lon: number, out: Float64Array): void {
    const y = lat / this.cellDegrees - this.lat0;
    const x = lon / this.cellDegrees - this.lon0;
    const row = Math.floor(y);
    const col = Math.floor(x);
    if (!this.enabled || row < 0 || col < 0 || row >= this.rows || col >= this.cols) {
      this.fillDirect(lat, lon, out);
      return;
    }
    const cell = row * this.cols + col;
    let mode = this.cellMode[cell] as number;
    if (mode === 0) mode = this.checkCell(row, col);
    if (mode === 2) this.fillDirect(lat, lon, out);
    else this.interpolate(row, col, y - row, x - col, out);
  }

  timesAt(lat: number, lon: number): NightSunTimes {
    const values = new Float64Array(EVENT_COUNT);
    this.fill(lat, lon, values);
    return timesOfValues(values);
  }

  private fillDirect(lat: number, lon: number, out: Float64Array): void {
    writeTimes(sunTimesForNight(lat, lon, this.window), out, 0);
  }

  private node(row: number, col: number): number {
    const index = row * (this.cols + 1) + col;
    const base = index * EVENT_COUNT;
    if (Number.isNaN(this.nodes[base] as number)) {
      const lat = (this.lat0 + row) * this.cellDegrees;
      const lon = (this.lon0 + col) * this.cellDegrees;
      writeTimes(sunTimesForNight(lat, lon, this.window), this.nodes, base);
    }
    return base;
  }

  private interpolate(row: number, col: number, fy: number, fx: number, out: Float64Array): void {
    const a = this.node(row, col);
    const b = this.node(row, col + 1);
    const c = this.node(row + 1, col);
    const d = this.node(row + 1, col + 1);
    const n = this.nodes;
    const wa = (1 - fy) * (1 - fx);
    const wb = (1 - fy) * fx;
    const wc = fy * (1 - fx);
    const wd = fy * fx;
    for (let e = 0; e < EVENT_COUNT; e++) {
      const va = n[a + e] as number;
      const vb = n[b + e] as number;
      const vc = n[c + e] as number;
      const vd = n[d + e] as number;
      // Equal corners include an event missing everywhere (±Infinity), which bilinear weights would turn into NaN.
      out[e] = va === vb && va === vc && va === vd ? va : wa * va + wb * vb + wc * vc + wd * vd;
    }
  }

  private checkCell(row: number, col: number): number {
    const corners = [
      this.node(row, col),
      this.node(row, col + 1),
      this.node(row + 1, col),
      this.node(row + 1, col + 1),
    ];
    const interpolable = Array.from({ length: EVENT_COUNT }, (_, e) => {
      const values = corners.map((base) => this.nodes[base + e] as number);
      return values.every(Number.isFinite) || values.every((v) => v === values[0]);
    }).every(Boolean);
    let mode = 2;
    if (interpolable) {
      const interpolated = new Float64Array(EVENT_COUNT);
      this.interpolate(row, col, 0.5, 0.5, interpolated);
      const direct = new Float64Array(EVENT_COUNT);
      this.fillDirect(
        (this.lat0 + row + 0.5) * this.cellDegrees,
        (this.lon0 + col + 0.5) * this.cellDegrees,
        direct,
      );
      mode = maxDifference(interpolated, direct) <= MAX_CELL_ERROR_SECONDS ? 1 : 2;
    }
    this.cellMode[row * this.cols + col] = mode;
    return mode;
  }
}

function timesOfValues(values: Float64Array): NightSunTimes {
  const times = {} as Record<SunEvent, number>;
  SUN_EVENTS.forEach((event, e) => {
    times[event] = values[e] as number;
  });
  return times;
}

function writeTimes(times: NightSunTimes, out: Float64Array, offset: number): void {
  for (let e = 0; e < EVENT_COUNT; e++) out[offset + e] = times[SUN_EVENTS[e] as SunEvent];
}

/** Largest difference between two event vectors; equal values (equal infinities too) differ by 0. */
function maxDifference(a: Float64Array, b: Float64Array): number {
  let max = 0;
  for (let e = 0; e < a.length; e++) {
    const x = a[e] as number;
    const y = b[e] as number;
    const diff = x === y ? 0 : Math.abs(x - y);
    if (diff > max) max = diff;
  }
  return max;
}

/**
 * The largest difference, in seconds, between the field and suncalc called directly, over the given
 * positions and every event: the figure the benchmark prints as "max sun error".
 */
export function maxFieldError(
  field: SunField,
  window: NightWindow,
  points: Iterable<{ lat: number; lon: number }>,
): number {
  const viaField = new Float64Array(EVENT_COUNT);
  const direct = new Float64Array(EVENT_COUNT);
  let max = 0;
  for (const { lat, lon } of points) {
    field.fill(lat, lon, viaField);
    writeTimes(sunTimesForNight(lat, lon, window), direct, 0);
    max = Math.max(max, maxDifference(viaField, direct));
  }
  return max;
}
