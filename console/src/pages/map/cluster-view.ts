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

const TROUBLE = new Set(['alarm', 'silent'].map((state) => DISPLAY_STATES.indexOf(state as never)));

type Point = [number, number];

/**
 * What the map draws of the kept luminaires in a view, so MapLibre only ever gets what is on
 * screen (it copies every feature it is given to its worker, which for 200,000 luminaires took
 * seconds): at zoom CLUSTER_MAX_ZOOM or below, the luminaires binned in a grid of CLUSTER_CELL_PX
 * screen cells, a cell of several being one cluster at their mean position (`point_count`, and
 * `trouble`: how many of them are in alarm or not reporting); above it, every luminaire in view.
 * A cell holding one luminaire draws it as such. A one-cell margin keeps clusters at the edges.
 */
export function viewFeatures(table: LiveTable, kept: readonly number[], states: Uint8Array, view: ViewBox) {
  const zoom = Math.floor(view.zoom);
  const cell = CLUSTER_CELL_PX / (WORLD_PX * 2 ** Math.min(zoom, CLUSTER_MAX_ZOOM));
  const west = mercatorX(view.west) - cell;
  const east = mercatorX(view.east) + cell;
  const north = mercatorY(view.north) - cell;
  const south = mercatorY(view.south) + cell;
  const inView: number[] = [];
  for (const i of kept) {
    const x = table.x[i] ?? 0;
    const y = table.y[i] ?? 0;
    if (x >= west && x <= east && y >= north && y <= south) inView.push(i);
  }
  if (zoom > CLUSTER_MAX_ZOOM) return luminaireFeatures(table, inView, states);

  const cells = new Map<number, number[]>();
  const columns = Math.ceil((east - west) / cell) + 1;
  for (const i of inView) {
    const key =
      Math.floor(((table.y[i] ?? 0) - north) / cell) * columns +
      Math.floor(((table.x[i] ?? 0) - west) / cell);
    const members = cells.get(key);
    if (members === undefined) cells.set(key, [i]);
    else members.push(i);
  }
  const singles: number[] = [];
  const clusters = [];
  for (const members of cells.values()) {
    if (members.length === 1) {
      singles.push(members[0] ?? 0);
      continue;
    }
    let [x, y, trouble] = [0, 0, 0];
    for (const i of members) {
      x += table.x[i] ?? 0;
      y += table.y[i] ?? 0;
      if (TROUBLE.has(states[i] ?? 0)) trouble += 1;
    }
    const at: Point = [mercatorLon(x / members.length), mercatorLat(y / members.length)];
    clusters.push({
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: at },
      properties: { point_count: members.length, trouble },
    });
  }
  const points = luminaireFeatures(table, singles, states);
  return { type: 'FeatureCollection' as const, features: [...clusters, ...points.features] };
}

/** The zoom a click on a cluster goes to: two steps closer, at most the first zoom without clusters. */
export const clusterClickZoom = (zoom: number): number =>
  Math.min(Math.floor(zoom) + 2, CLUSTER_MAX_ZOOM + 1);
