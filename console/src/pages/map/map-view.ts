// This module is loaded on first use (with MapLibre, most of the console's JavaScript). MapLibre is
// imported statically so that its chunk is asked for with this one, not once this one has run: that
// waterfall queued MapLibre behind the live state's pages.
import type { GeoJSONSource, LngLatBoundsLike, Map as MapLibreMap, StyleSpecification } from 'maplibre-gl';
import * as maplibre from 'maplibre-gl';
import maplibreWorker from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { clusterClickZoom, type ViewBox } from './cluster-view.ts';
import { circleColourExpression } from './state-style.ts';
import type { StreetSegments } from './street-segments.ts';
import { streetsLayer } from './streets-layer.ts';

type Collection = { type: 'FeatureCollection'; features: unknown[] };

export interface MapViewOptions {
  readonly container: HTMLElement;
  /** A deployment's style (tiles); none: a plain background with the streets the inventory implies. */
  readonly styleUrl?: string | undefined;
  readonly attribution?: string | undefined;
  readonly label: string;
  /** A luminaire clicked (no Shift): open its panel. */
  onOpen(id: string): void;
  /** Luminaires Shift-clicked (toggle) or boxed by Shift-drag (add). */
  onSelect(ids: readonly string[], mode: 'add' | 'toggle'): void;
}

export interface MapView {
  /**
   * How to draw the luminaires of a view (clusters or one by one): called now and each time the
   * map stops moving, so the map holds only what is on screen.
   */
  setLuminaires(draw: (view: ViewBox) => Collection): void;
  /** The streets as the feed's worker drew them, for the map's GPU to draw as they are. */
  setStreets(segments: StreetSegments): void;
  /** Only the streets of this zone and street (indexes; undefined: every one). */
  filterStreets(zone: number | undefined, street: number | undefined): void;
  setSensors(sensors: Collection): void;
  setSelected(selected: Collection): void;
  fitTo(bounds: LngLatBoundsLike): void;
  flyTo(lon: number, lat: number): void;
  destroy(): void;
}

/**
 * A paint value read for each feature, the same for every one. MapLibre compiles a circle program
 * for each mix of paint kinds (a constant, a value per feature, one per feature and zoom): with
 * every circle layer's colour, stroke and radius of the same kinds (the radius per feature and
 * zoom), the four layers share one program instead of three, each 0.1 to 0.3 s of the page's
 * thread to compile in SwiftShader, on the way to the live state's first frame under load.
 */
const perFeature = (value: unknown): unknown[] => ['case', ['has', 'point_count'], value, value];

/** A radius from zoom 13 to 18, `near` as large as `far` when none is given (see perFeature). */
const byZoom = (far: unknown, near: unknown = far): unknown[] => [
  'interpolate',
  ['linear'],
  ['zoom'],
  13,
  far,
  18,
  near,
];

/**
 * No tile server at all: nothing under the streets and luminaires, the map's element showing
 * through (app.css). Not a background layer: its WebGL program took 10 to 140 ms of the page's
 * thread to compile in SwiftShader, on the way to the first frame.
 */
const PLAIN_STYLE: StyleSpecification = { version: 8, sources: {}, layers: [] };

const EMPTY: Collection = { type: 'FeatureCollection', features: [] };

const point = (lon: number, lat: number, properties: Record<string, unknown>) => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [lon, lat] },
  properties,
});

type SourceId = 'luminaires' | 'sensors' | 'selected';

/**
 * What the luminaires are first drawn with, at the map's centre, for as long as it takes to draw it
 * once: so MapLibre compiles the circle layers' WebGL program (they share one, see perFeature; 0.4
 * to 1.3 s of the page's thread in SwiftShader) while the live state still downloads, not once it
 * has come. No id: a click on it in the meantime opens and selects nothing.
 */
const warmUpData = (lon: number, lat: number): Collection => ({
  type: 'FeatureCollection',
  features: [point(lon, lat, { s: 'lit', l: 100 })],
});

const isEmpty = (data: Collection | undefined) => data === undefined || data.features.length === 0;

/**
 * The MapLibre map of the site: streets as lines, luminaires as circles coloured by state,
 * clustered at low zoom (a cluster is red-ringed when it holds an alarm or a silent luminaire),
 * presence sensors, and the selection.
 */
export async function createMapView(options: MapViewOptions): Promise<MapView> {
  maplibre.setWorkerUrl(maplibreWorker);
  const map: MapLibreMap = new maplibre.Map({
    container: options.container,
    style: options.styleUrl ?? PLAIN_STYLE,
    center: [2.35, 43.21],
    zoom: 12,
    attributionControl:
      options.attribution === undefined ? false : { compact: true, customAttribution: options.attribution },
    boxZoom: false,
  });
  map.addControl(new maplibre.NavigationControl({ showCompass: false }), 'top-right');
  map.getCanvas().setAttribute('aria-label', options.label);

  await new Promise<void>((resolve) => map.once('load', () => resolve()));

  // Clustered by the page (cluster-view.ts), which hands over only what is in view.
  map.addSource('luminaires', { type: 'geojson', data: EMPTY as never });
  map.addSource('sensors', { type: 'geojson', data: EMPTY as never });
  map.addSource('selected', { type: 'geojson', data: EMPTY as never });

  const streets = streetsLayer('streets');
  map.addLayer(streets);
  map.addLayer({
    id: 'clusters',
    type: 'circle',
    source: 'luminaires',
    filter: ['has', 'point_count'],
    paint: {
      'circle-color': perFeature('#f2c14e'),
      'circle-opacity': 0.85,
      'circle-radius': byZoom(['step', ['get', 'point_count'], 10, 50, 14, 200, 18, 1000, 24]),
      'circle-stroke-width': ['case', ['>', ['get', 'trouble'], 0], 3, 1],
      'circle-stroke-color': ['case', ['>', ['get', 'trouble'], 0], '#d62728', '#6b5a1e'],
    } as never,
  });
  map.addLayer({
    id: 'luminaires',
    type: 'circle',
    source: 'luminaires',
    filter: ['!', ['has', 'point_count']],
    paint: {
      'circle-color': circleColourExpression(),
      'circle-radius': byZoom(perFeature(3), perFeature(8)),
      'circle-stroke-width': perFeature(1),
      'circle-stroke-color': perFeature('#1b1f24'),
    } as never,
  });
  map.addLayer({
    id: 'selected',
    type: 'circle',
    source: 'selected',
    paint: {
      'circle-color': perFeature('rgba(0,0,0,0)'),
      'circle-radius': byZoom(perFeature(7), perFeature(13)),
      'circle-stroke-width': perFeature(3),
      'circle-stroke-color': perFeature('#0b4f8a'),
    } as never,
  });
  map.addLayer({
    id: 'sensors',
    type: 'circle',
    source: 'sensors',
    paint: {
      'circle-color': perFeature('#ffffff'),
      'circle-radius': byZoom(perFeature(3), perFeature(7)),
      'circle-stroke-width': perFeature(2),
      'circle-stroke-color': perFeature('#00796b'),
    } as never,
  });

  map.on('click', 'clusters', (event) => {
    const feature = event.features?.[0];
    if (feature === undefined) return;
    const [lon, lat] = (feature.geometry as { coordinates: [number, number] }).coordinates;
    map.easeTo({ center: [lon, lat], zoom: clusterClickZoom(map.getZoom()) });
  });
  map.on('click', 'luminaires', (event) => {
    const id = event.features?.[0]?.properties?.id as string | undefined;
    if (id === undefined) return;
    if (event.originalEvent.shiftKey) options.onSelect([id], 'toggle');
    else options.onOpen(id);
  });
  for (const layer of ['luminaires', 'clusters']) {
    map.on('mouseenter', layer, () => {
      map.getCanvas().style.cursor = 'pointer';
    });
    map.on('mouseleave', layer, () => {
      map.getCanvas().style.cursor = '';
    });
  }
  boxSelection(map, options);

  const held = new Map<SourceId, Collection>();
  const setData = (id: SourceId, data: Collection) => {
    // Nothing to take away: each update has MapLibre's worker tile the source again and the map
    // redraw (in SwiftShader, the page's thread waits for it), for the same empty picture.
    if (isEmpty(data) && isEmpty(held.get(id))) return;
    held.set(id, data);
    (map.getSource(id) as GeoJSONSource).setData(data as never);
  };
  const { lng, lat } = map.getCenter();
  setData('luminaires', warmUpData(lng, lat));
  // The page's data only once the placeholder was drawn: any sooner and it replaces it before
  // its program is compiled, which the first frame of the live state then waits for.
  await new Promise<void>((resolve) => map.once('idle', () => resolve()));
  setData('luminaires', EMPTY);
  let draw: ((view: ViewBox) => Collection) | undefined;
  const redraw = () => {
    if (draw === undefined) return;
    const bounds = map.getBounds();
    const view = {
      west: bounds.getWest(),
      south: bounds.getSouth(),
      east: bounds.getEast(),
      north: bounds.getNorth(),
      zoom: map.getZoom(),
    };
    setData('luminaires', draw(view));
  };
  map.on('moveend', redraw);

  return {
    setLuminaires(next) {
      draw = next;
      redraw();
    },
    setStreets: (segments) => streets.setSegments(segments),
    filterStreets: (zone, street) => streets.filter(zone, street),
    setSensors: (sensors) => setData('sensors', sensors),
    setSelected: (selected) => setData('selected', selected),
    fitTo: (bounds) => map.fitBounds(bounds, { padding: 30, animate: false }),
    flyTo: (lon, lat) => map.flyTo({ center: [lon, lat], zoom: Math.max(map.getZoom(), 17) }),
    destroy: () => map.remove(),
  };
}

/** Shift-drag draws a box; the luminaires drawn inside it join the selection. */
function boxSelection(map: MapLibreMap, options: MapViewOptions): void {
  const canvas = map.getCanvasContainer();
  let start: { x: number; y: number } | undefined;
  let box: HTMLDivElement | undefined;
  const point = (event: MouseEvent) => {
    const rect = canvas.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };
  const finish = (end: { x: number; y: number } | undefined) => {
    document.removeEventListener('mousemove', move);
    document.removeEventListener('mouseup', up);
    box?.remove();
    box = undefined;
    map.dragPan.enable();
    // A Shift-click (no drag) is the click handler's: it toggles the luminaire under it.
    const dragged =
      start !== undefined &&
      end !== undefined &&
      Math.max(Math.abs(end.x - start.x), Math.abs(end.y - start.y)) > 4;
    if (dragged && start !== undefined && end !== undefined) {
      const features = map.queryRenderedFeatures(
        [
          [Math.min(start.x, end.x), Math.min(start.y, end.y)],
          [Math.max(start.x, end.x), Math.max(start.y, end.y)],
        ],
        { layers: ['luminaires'] },
      );
      const ids = features.map((feature) => feature.properties?.id as string).filter(Boolean);
      if (ids.length > 0) options.onSelect(ids, 'add');
    }
    start = undefined;
  };
  const move = (event: MouseEvent) => {
    if (start === undefined) return;
    const now = point(event);
    if (box === undefined) {
      box = document.createElement('div');
      box.className = 'map-box';
      canvas.appendChild(box);
    }
    box.style.transform = `translate(${Math.min(start.x, now.x)}px, ${Math.min(start.y, now.y)}px)`;
    box.style.width = `${Math.abs(now.x - start.x)}px`;
    box.style.height = `${Math.abs(now.y - start.y)}px`;
  };
  const up = (event: MouseEvent) => finish(point(event));
  canvas.addEventListener('mousedown', (event) => {
    if (!event.shiftKey || event.button !== 0) return;
    map.dragPan.disable();
    start = point(event);
    document.addEventListener('mousemove', move);
    document.addEventListener('mouseup', up);
  });
}
