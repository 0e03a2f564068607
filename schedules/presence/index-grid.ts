import { METRES_PER_DEGREE } from '../geo.ts';
import type { Luminaire } from '../inventory/schema.ts';

/** Columns per row in a cell key; 2^16 cells of 100 m span 6,500 km, more than any city. */
const COLUMNS = 65_536;

export type IndexedLuminaire = Pick<
  Luminaire,
  'id' | 'thingName' | 'lat' | 'lon' | 'street' | 'zone' | 'minLevel'
>;

/**
 * Luminaires bucketed in square cells of `cellMeters` on a local equirectangular projection (exact to
 * a fraction of a percent over a city), built once so each detection scans a few cells only.
 */
export interface PresenceIndex<L extends IndexedLuminaire = IndexedLuminaire> {
  readonly luminaires: readonly L[];
  readonly cellMeters: number;
  readonly originLat: number;
  readonly originLon: number;
  readonly metersPerDegreeLon: number;
  readonly cells: ReadonlyMap<number, readonly number[]>;
}

export function buildPresenceIndex<L extends IndexedLuminaire>(
  luminaires: readonly L[],
  cellMeters = 100,
): PresenceIndex<L> {
  let originLat = Infinity;
  let originLon = Infinity;
  let sumLat = 0;
  for (const { lat, lon } of luminaires) {
    originLat = Math.min(originLat, lat);
    originLon = Math.min(originLon, lon);
    sumLat += lat;
  }
  const meanLat = luminaires.length > 0 ? sumLat / luminaires.length : 0;
  const index = {
    luminaires,
    cellMeters,
    originLat: Number.isFinite(originLat) ? originLat : 0,
    originLon: Number.isFinite(originLon) ? originLon : 0,
    metersPerDegreeLon: METRES_PER_DEGREE * Math.cos((meanLat * Math.PI) / 180),
    cells: new Map<number, number[]>(),
  };
  luminaires.forEach((luminaire, i) => {
    const { row, col } = cellOf(index, luminaire.lat, luminaire.lon);
    const key = row * COLUMNS + col;
    const bucket = index.cells.get(key);
    if (bucket === undefined) index.cells.set(key, [i]);
    else bucket.push(i);
  });
  return index;
}

function cellOf(index: Omit<PresenceIndex, 'cells' | 'luminaires'>, lat: number, lon: number) {
  return {
    row: Math.floor(((lat - index.originLat) * METRES_PER_DEGREE) / index.cellMeters),
    col: Math.floor(((lon - index.originLon) * index.metersPerDegreeLon) / index.cellMeters),
  };
}

/** Distance in metres on the index's projection. */
export function distanceMeters(
  index: PresenceIndex,
  lat1: number,
  lon1: number,
  lat2: number,
  lon2: number,
): number {
  const dy = (lat2 - lat1) * METRES_PER_DEGREE;
  const dx = (lon2 - lon1) * index.metersPerDegreeLon;
  return Math.hypot(dx, dy);
}

/** Indexed luminaires within `radiusMeters` of a point, with their distances. */
export function luminairesWithin<L extends IndexedLuminaire>(
  index: PresenceIndex<L>,
  lat: number,
  lon: number,
  radiusMeters: number,
): { luminaire: L; distanceMeters: number }[] {
  const centre = cellOf(index, lat, lon);
  const reach = Math.ceil(radiusMeters / index.cellMeters);
  const found: { luminaire: L; distanceMeters: number }[] = [];
  for (let row = Math.max(0, centre.row - reach); row <= centre.row + reach; row++) {
    for (let col = Math.max(0, centre.col - reach); col <= Math.min(COLUMNS - 1, centre.col + reach); col++) {
      for (const i of index.cells.get(row * COLUMNS + col) ?? []) {
        const luminaire = index.luminaires[i] as L;
        const distance = distanceMeters(index, lat, lon, luminaire.lat, luminaire.lon);
        if (distance <= radiusMeters) found.push({ luminaire, distanceMeters: distance });
      }
    }
  }
  return found;
}
