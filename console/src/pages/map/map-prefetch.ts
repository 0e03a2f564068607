import type { ApiClient } from '../../api/client.ts';
import { headStart } from '../../head-start.ts';
import { t } from '../../i18n/index.ts';
import { hrefOf } from '../../routes.ts';
import type { RuntimeConfig } from '../../runtime-config.ts';
import { fetchLiveState } from './fetch-live-state.ts';
import { type LiveFeed, liveFeed } from './live-feed.ts';
import type { MapView } from './map-view.ts';
import { select } from './selection.ts';

/**
 * A start not adopted in this time is closed: by then the map page either took it (its chunk
 * loads in well under a second) or the person is not opening the map.
 */
const HEAD_START_MS = 15_000;
/** The map view's element while no page shows it: laid out at the page's size, not seen. */
const AHEAD_CLASS = 'map-view-ahead';

/** The map view, made in an element of its own that the page puts where its map goes. */
export interface MapViewStart {
  readonly element: HTMLDivElement;
  readonly view: Promise<MapView>;
}

/** What the map page needs first: its feed (the worker), the live state's first fetch in it, the map view. */
export interface MapStart {
  readonly feed: LiveFeed;
  readonly state: ReturnType<typeof fetchLiveState>;
  readonly view: MapViewStart;
}

/**
 * MapLibre's map in a new element: made once MapLibre's chunk is there, in the page's element if
 * the element is in the page by then, else where `prefetchMap` laid it out.
 */
export function startMapView(config: RuntimeConfig): MapViewStart {
  const element = document.createElement('div');
  element.className = 'map-view';
  const view = import('./map-view.ts').then(({ createMapView }) =>
    createMapView({
      container: element,
      styleUrl: config.map.styleUrl,
      attribution: config.map.attribution,
      label: t('map.canvas'),
      onOpen: (id) => {
        location.hash = hrefOf('/luminaires/:id', { id });
      },
      onSelect: (ids, mode) => select(ids, mode),
    }),
  );
  return { element, view };
}

/** Puts the map view's element in the page's and sizes the map to it. */
export function showMapView(start: MapViewStart, slot: HTMLElement): Promise<MapView> {
  start.element.classList.remove(AHEAD_CLASS);
  slot.append(start.element);
  return start.view.then((view) => {
    view.resize();
    return view;
  });
}

function closeMapView(start: MapViewStart): void {
  start.element.remove();
  start.view.then((view) => view.destroy()).catch(() => undefined);
}

const held = headStart<MapStart>({
  ttlMs: HEAD_START_MS,
  close: (start) => {
    start.feed.close();
    closeMapView(start.view);
  },
});

/**
 * Starts the map page's slow parts as soon as the shell knows the map is next, in parallel with the
 * page's own chunk instead of behind it and its first render: the feed's worker with the live
 * state's pages (the same API client, so the same token and zones), and the MapLibre map, whose
 * WebGL programs (seconds of the page's thread in software rendering) then compile while the live
 * state downloads. The page adopts them (`adoptMapStart`); answers how to close them if it does not.
 */
export function prefetchMap({ api, config }: { api: ApiClient; config: RuntimeConfig }): () => void {
  held.start(() => {
    const feed = liveFeed();
    const state = fetchLiveState(api, feed, undefined);
    // Handled now: a start closed unadopted must not leave an unhandled rejection behind.
    state.catch(() => undefined);
    const view = startMapView(config);
    view.element.classList.add(AHEAD_CLASS);
    document.body.append(view.element);
    view.view.catch(() => undefined);
    return { feed, state, view };
  });
  return held.drop;
}

/** What `prefetchMap` started, now the map page's; undefined when none is held. */
export const adoptMapStart = (): MapStart | undefined => held.adopt();
