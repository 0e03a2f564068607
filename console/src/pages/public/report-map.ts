import type { GeoJSONSource, Map as MapLibreMap, StyleSpecification } from 'maplibre-gl';
import type { Point } from '#schedules/public/nearest.ts';
import { type Pole, polesBounds } from './map-point.ts';

export interface PointPicker {
  /** Show the chosen point (undefined: none). */
  show(point: Point | undefined): void;
  destroy(): void;
}

/** No tile server on the residents' pages: a plain background, the poles drawn on it. */
const PLAIN_STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef1f4' } }],
};

const pointsOf = (points: readonly Point[]) => ({
  type: 'FeatureCollection' as const,
  features: points.map((p) => ({
    type: 'Feature' as const,
    properties: {},
    geometry: { type: 'Point' as const, coordinates: [p.lon, p.lat] },
  })),
});

/**
 * The fault form's small map, loaded only when a resident asks for it (MapLibre is most of the
 * console's JavaScript and the form works without it): the poles as dots, a click picks a point.
 */
export async function createPointPicker(options: {
  readonly container: HTMLElement;
  readonly label: string;
  readonly poles: readonly Pole[];
  onPick(point: Point): void;
}): Promise<PointPicker> {
  const [maplibre, worker] = await Promise.all([
    import('maplibre-gl'),
    import('maplibre-gl/dist/maplibre-gl-worker.mjs?url'),
    import('maplibre-gl/dist/maplibre-gl.css'),
  ]);
  maplibre.setWorkerUrl(worker.default);
  const bounds = polesBounds(options.poles);
  const map: MapLibreMap = new maplibre.Map({
    container: options.container,
    style: PLAIN_STYLE,
    ...(bounds === undefined
      ? { center: [2.35, 43.21], zoom: 12 }
      : { bounds, fitBoundsOptions: { padding: 20 } }),
    attributionControl: false,
  });
  map.addControl(new maplibre.NavigationControl({ showCompass: false }), 'top-right');
  map.getCanvas().setAttribute('aria-label', options.label);
  await new Promise<void>((resolve) => map.once('load', () => resolve()));
  map.addSource('poles', { type: 'geojson', data: pointsOf(options.poles) });
  map.addSource('picked', { type: 'geojson', data: pointsOf([]) });
  map.addLayer({
    id: 'poles',
    type: 'circle',
    source: 'poles',
    paint: {
      'circle-color': '#f2c14e',
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 2, 18, 7],
      'circle-stroke-width': 1,
      'circle-stroke-color': '#6b5a1e',
    },
  });
  map.addLayer({
    id: 'picked',
    type: 'circle',
    source: 'picked',
    paint: {
      'circle-color': '#0b4f8a',
      'circle-radius': 8,
      'circle-stroke-width': 2,
      'circle-stroke-color': '#fff',
    },
  });
  map.on('click', (event) => options.onPick({ lat: event.lngLat.lat, lon: event.lngLat.lng }));
  return {
    show(point) {
      (map.getSource('picked') as GeoJSONSource).setData(pointsOf(point === undefined ? [] : [point]));
    },
    destroy: () => map.remove(),
  };
}
