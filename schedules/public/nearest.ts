import { type Bounds, boundsOf } from '../astro/sun-field.ts';
import { METRES_PER_DEGREE } from '../geo.ts';

export interface Point {
  readonly lat: number;
  readonly lon: number;
}

/** A resident's map point may fall this far outside the network's luminaires and still be the site. */
export const SITE_MARGIN_M = 500;

/** The luminaires' bounding box widened by SITE_MARGIN_M: a point outside it is not on the site. */
export function siteExtent(luminaires: readonly Point[]): Bounds | undefined {
  if (luminaires.length === 0) return undefined;
  const box = boundsOf(luminaires);
  const dLat = SITE_MARGIN_M / METRES_PER_DEGREE;
  const widest = Math.max(Math.abs(box.minLat), Math.abs(box.maxLat));
  const dLon = dLat / Math.max(0.01, Math.cos((Math.min(89, widest) * Math.PI) / 180));
  return {
    minLat: box.minLat - dLat,
    maxLat: box.maxLat + dLat,
    minLon: box.minLon - dLon,
    maxLon: box.maxLon + dLon,
  };
}

export const within = (extent: Bounds, point: Point): boolean =>
  point.lat >= extent.minLat &&
  point.lat <= extent.maxLat &&
  point.lon >= extent.minLon &&
  point.lon <= extent.maxLon;

/** Metres between two points of a town (equirectangular, as everywhere in the code: schedules/geo.ts). */
export function metresBetween(a: Point, b: Point): number {
  const cosLat = Math.cos((((a.lat + b.lat) / 2) * Math.PI) / 180);
  return Math.hypot(a.lat - b.lat, (a.lon - b.lon) * cosLat) * METRES_PER_DEGREE;
}

/**
 * The `count` luminaires nearest a resident's point within `maxMetres`, nearest first (ties by id,
 * so the answer does not depend on the inventory's order): the technicians' candidates for the
 * light the resident saw out.
 */
export function nearestLuminaires<L extends Point & { readonly id: string }>(
  luminaires: readonly L[],
  point: Point,
  count: number,
  maxMetres: number,
): { readonly luminaire: L; readonly metres: number }[] {
  return luminaires
    .map((luminaire) => ({ luminaire, metres: metresBetween(luminaire, point) }))
    .filter((candidate) => candidate.metres <= maxMetres)
    .sort((a, b) => a.metres - b.metres || a.luminaire.id.localeCompare(b.luminaire.id))
    .slice(0, count);
}
