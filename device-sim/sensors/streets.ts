import { METRES_PER_DEGREE } from '#schedules/geo.ts';
import type { Luminaire } from '#schedules/inventory/schema.ts';

/**
 * Streets as polylines in local metres, derived from the luminaires along them: a street's
 * luminaires sorted along its main direction are the vertices. Good enough for walking simulated
 * people and cars past sensors; no road network is needed.
 */

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Street {
  readonly name: string;
  readonly points: readonly Point[];
  /** Distance from the first vertex to each vertex, metres. */
  readonly cumulative: readonly number[];
  readonly length: number;
}

/** Equirectangular projection around an origin: accurate to well under 1 % over a town. */
export class LocalProjection {
  private readonly cosLat: number;

  constructor(
    readonly originLat: number,
    readonly originLon: number,
  ) {
    this.cosLat = Math.cos((originLat * Math.PI) / 180);
  }

  static around(points: readonly { lat: number; lon: number }[]): LocalProjection {
    const n = Math.max(points.length, 1);
    const lat = points.reduce((sum, p) => sum + p.lat, 0) / n;
    const lon = points.reduce((sum, p) => sum + p.lon, 0) / n;
    return new LocalProjection(lat, lon);
  }

  toLocal(lat: number, lon: number): Point {
    return {
      x: (lon - this.originLon) * METRES_PER_DEGREE * this.cosLat,
      y: (lat - this.originLat) * METRES_PER_DEGREE,
    };
  }
}

/** One polyline per street with at least two luminaires. */
export function streetsOf(luminaires: readonly Luminaire[], projection: LocalProjection): Street[] {
  const byStreet = new Map<string, Point[]>();
  for (const l of luminaires) {
    const points = byStreet.get(l.street) ?? [];
    points.push(projection.toLocal(l.lat, l.lon));
    byStreet.set(l.street, points);
  }
  const streets: Street[] = [];
  for (const [name, points] of byStreet) {
    if (points.length < 2) continue;
    const sorted = sortAlongMainAxis(points);
    const cumulative = [0];
    for (let i = 1; i < sorted.length; i++) {
      cumulative.push((cumulative[i - 1] as number) + distance(sorted[i - 1] as Point, sorted[i] as Point));
    }
    const length = cumulative.at(-1) as number;
    if (length > 0) streets.push({ name, points: sorted, cumulative, length });
  }
  return streets;
}

/** Sorts points by their projection on the principal axis of their spread. */
function sortAlongMainAxis(points: readonly Point[]): Point[] {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let cxx = 0;
  let cyy = 0;
  let cxy = 0;
  for (const p of points) {
    cxx += (p.x - mx) ** 2;
    cyy += (p.y - my) ** 2;
    cxy += (p.x - mx) * (p.y - my);
  }
  const angle = 0.5 * Math.atan2(2 * cxy, cxx - cyy);
  const ux = Math.cos(angle);
  const uy = Math.sin(angle);
  return [...points].sort((a, b) => a.x * ux + a.y * uy - (b.x * ux + b.y * uy));
}

export const distance = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);

/** Closest point of the street to `p`: distance along the street and distance away from it. */
export function projectOnStreet(street: Street, p: Point): { along: number; away: number } {
  let best = { along: 0, away: Number.POSITIVE_INFINITY };
  for (let i = 1; i < street.points.length; i++) {
    const a = street.points[i - 1] as Point;
    const b = street.points[i] as Point;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len2 = dx * dx + dy * dy;
    const f = len2 === 0 ? 0 : Math.min(1, Math.max(0, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
    const away = Math.hypot(a.x + f * dx - p.x, a.y + f * dy - p.y);
    if (away < best.away) best = { along: (street.cumulative[i - 1] as number) + f * Math.sqrt(len2), away };
  }
  return best;
}
