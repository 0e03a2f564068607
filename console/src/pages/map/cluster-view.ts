import {
  DISPLAY_STATES,
  type LiveTable,
  luminaireFeatures,
  mercatorLat,
  mercatorLon,
  mercatorX,
  mercatorY,
} from './live-table.ts';

/** What the map shows: its bounds in degrees and its zoom. */
export interface ViewBox {
  readonly west: number;
  readonly south: number;
  readonly east: number;
  readonly north: number;
  readonly zoom: number;
}

/** Above this zoom luminaires are drawn one by one; at or below, in clusters. */
export const CLUSTER_MAX_ZOOM = 15;
/** A cluster's cell, in screen pixels. */
const CLUSTER_CELL_PX = 48;
/** MapLibre's world is 512 pixels wide at zoom 0. */
const WORLD_PX = 512;

/** Whether a display state (its index) is trouble: in alarm or not reporting. */
const TROUBLE = Uint8Array.from(DISPLAY_STATES, (state) => (state === 'alarm' || state === 'silent' ? 1 : 0));

type Point = [number, number];

/**
 * What the map draws of the kept luminaires in a view, so MapLibre only ever gets what is on
 * screen (it copies every feature it is given to its worker, which for 200,000 luminaires took
 * seconds): at zoom CLUSTER_MAX_ZOOM or below, the luminaires binned in a grid of CLUSTER_CELL_PX
 * screen cells, a cell of several being one cluster at their mean position (`point_count`, and
 * `trouble`: how many of them are in alarm or not reporting); above it, every luminaire in view.
 * A cell holding one luminaire draws it as such. A one-cell margin keeps clusters at the edges.
 * The grid is as large as the screen, not as the city: its cells are sums in typed arrays, so the
 * one loop over 200,000 luminaires allocates nothing per luminaire.
 */
export function viewFeatures(table: LiveTable, kept: Uint32Array, states: Uint8Array, view: ViewBox) {
  const zoom = Math.floor(view.zoom);
  const cell = CLUSTER_CELL_PX / (WORLD_PX * 2 ** Math.min(zoom, CLUSTER_MAX_ZOOM));
  const west = mercatorX(view.west) - cell;
  const east = mercatorX(view.east) + cell;
  const north = mercatorY(view.north) - cell;
  const south = mercatorY(view.south) + cell;
  const inView = (i: number) => {
    const x = table.x[i] ?? 0;
    const y = table.y[i] ?? 0;
    return x >= west && x <= east && y >= north && y <= south;
  };
  if (zoom > CLUSTER_MAX_ZOOM) return luminaireFeatures(table, kept.filter(inView), states);

  const columns = Math.ceil((east - west) / cell) + 1;
  const cells = columns * (Math.ceil((south - north) / cell) + 1);
  const count = new Uint32Array(cells);
  const trouble = new Uint32Array(cells);
  const sumX = new Float64Array(cells);
  const sumY = new Float64Array(cells);
  /** A luminaire of each cell: the one drawn when it is alone. */
  const member = new Uint32Array(cells);
  // Indexed, not for-of (see boundsOf in map-page.tsx).
  for (let k = 0; k < kept.length; k++) {
    const i = kept[k] ?? 0;
    if (!inView(i)) continue;
    const x = table.x[i] ?? 0;
    const y = table.y[i] ?? 0;
    const key = Math.floor((y - north) / cell) * columns + Math.floor((x - west) / cell);
    count[key] = (count[key] ?? 0) + 1;
    trouble[key] = (trouble[key] ?? 0) + (TROUBLE[states[i] ?? 0] ?? 0);
    sumX[key] = (sumX[key] ?? 0) + x;
    sumY[key] = (sumY[key] ?? 0) + y;
    member[key] = i;
  }
  const singles: number[] = [];
  const clusters = [];
  for (let key = 0; key < cells; key++) {
    const members = count[key] ?? 0;
    if (members === 1) singles.push(member[key] ?? 0);
    if (members < 2) continue;
    const at: Point = [mercatorLon((sumX[key] ?? 0) / members), mercatorLat((sumY[key] ?? 0) / members)];
    clusters.push({
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: at },
      properties: { point_count: members, trouble: trouble[key] ?? 0 },
    });
  }
  const points = luminaireFeatures(table, singles, states);
  return { type: 'FeatureCollection' as const, features: [...clusters, ...points.features] };
}

/** The zoom a click on a cluster goes to: two steps closer, at most the first zoom without clusters. */
export const clusterClickZoom = (zoom: number): number =>
  Math.min(Math.floor(zoom) + 2, CLUSTER_MAX_ZOOM + 1);
