import type { ApiClient } from '../../api/client.ts';
import { headStart } from '../../head-start.ts';
import { fetchLiveState } from './fetch-live-state.ts';
import { type LiveFeed, liveFeed } from './live-feed.ts';

/**
 * A snapshot not adopted in this time is closed: by then the map page either took it (its chunk
 * loads in well under a second) or the person is not opening the map.
 */
const HEAD_START_MS = 15_000;

/** What the map page needs first: its feed (the worker) and the live state's first fetch in it. */
export interface MapStart {
  readonly feed: LiveFeed;
  readonly state: ReturnType<typeof fetchLiveState>;
}

const held = headStart<MapStart>({ ttlMs: HEAD_START_MS, close: (start) => start.feed.close() });

/**
 * Starts the map page's slow parts as soon as the shell knows the map is next, in parallel with the
 * page's own chunk instead of behind it and its first render: the feed's worker with the live state's
 * pages (the same API client, so the same token and zones), and MapLibre's chunk. The page adopts
 * them (`adoptMapStart`); answers how to close them if it does not.
 */
export function prefetchMap(api: ApiClient): () => void {
  // The page's own import of it then finds the module loaded; a failure is reported there.
  import('./map-view.ts').catch(() => undefined);
  held.start(() => {
    const feed = liveFeed();
    const state = fetchLiveState(api, feed, undefined);
    // Handled now: a start closed unadopted must not leave an unhandled rejection behind.
    state.catch(() => undefined);
    return { feed, state };
  });
  return held.drop;
}

/** The feed and first fetch `prefetchMap` started, now the map page's; undefined when none is held. */
export const adoptMapStart = (): MapStart | undefined => held.adopt();
