import type { ApiClient } from '../../api/client.ts';
import { formatDateTime, formatNumber } from '../../format.ts';
import { headStart } from '../../head-start.ts';
import { hrefOf } from '../../href.ts';
import { t } from '../../i18n/index.ts';
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

/**
 * Where the map is made before its page shows it: the page's layout (app.css), as large as the
 * page's, not seen. The same size spares the map a resize when the page takes it: a resize
 * reallocates its WebGL buffers and waits for the GPU process, busy compiling its programs.
 */
function aheadLayout(): { root: HTMLElement; slot: HTMLElement } {
  const element = (tag: string, className: string) => {
    const made = document.createElement(tag);
    made.className = className;
    return made;
  };
  const root = element('div', 'map-ahead');
  const page = element('section', 'map-page');
  const slot = element('div', 'map-canvas');
  page.append(element('div', 'map-side'), slot);
  root.append(page);
  return { root, slot };
}

/** The map view, made in an element of its own that the page puts where its map goes. */
export interface MapViewStart {
  readonly element: HTMLDivElement;
  readonly view: Promise<MapView>;
  /** The layout it was made in before the page was there (`prefetchMap`), removed once it is. */
  readonly ahead?: HTMLElement;
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

/** Puts the map view's element in the page's (MapLibre follows its element's size if it differs). */
export function showMapView(start: MapViewStart, slot: HTMLElement): Promise<MapView> {
  slot.append(start.element);
  start.ahead?.remove();
  return start.view;
}

function closeMapView(start: MapViewStart): void {
  start.ahead?.remove();
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
    const { root, slot } = aheadLayout();
    const view = startMapView(config);
    slot.append(view.element);
    document.body.append(root);
    view.view.catch(() => undefined);
    // The legend's number and date formats made while the pages download, not once they came: a
    // locale's first Intl format loads its data (0.1 to 0.3 s of the page's thread under load).
    formatNumber(0);
    formatDateTime(0, config.timezone);
    return { feed, state, view: { ...view, ahead: root } };
  });
  return held.drop;
}

/** What `prefetchMap` started, now the map page's; undefined when none is held. */
export const adoptMapStart = (): MapStart | undefined => held.adopt();
