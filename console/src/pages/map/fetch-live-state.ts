import { decodePageCursors, LIVE_STATE_PAGES_HEADER } from '#protocol/live-state.ts';
import type { ApiClient } from '../../api/client.ts';
import { t } from '../../i18n/index.ts';
import type { liveFeed } from './live-feed.ts';

/**
 * The live state's table and streets from every page (each handed to the feed's worker as it
 * comes, which parses and checks it against the API's schema), or undefined when the snapshot is
 * still the one of `etag` (304). The first page names every following one: they are all asked for
 * at once, and handed over in order.
 */
export async function fetchLiveState(
  api: ApiClient,
  feed: Pick<ReturnType<typeof liveFeed>, 'ingest'>,
  etag: string | undefined,
) {
  const first = await api.request<ArrayBuffer>('GET', '/luminaires/state', {
    read: 'bytes',
    ...(etag === undefined ? {} : { ifNoneMatch: etag }),
  });
  if (first.status === 304 || first.data === undefined) return undefined;
  const following = decodePageCursors(first.headers.get(LIVE_STATE_PAGES_HEADER)).map((after) =>
    api.get<ArrayBuffer>('/luminaires/state', { query: { after }, read: 'bytes' }),
  );
  // Handles every page's failure now: one failing while an earlier one is parsed is not unhandled.
  Promise.all(following).catch(() => undefined);
  let result = await feed.ingest({ bytes: first.data, first: true });
  for (const page of following) result = await feed.ingest({ bytes: await page, first: false });
  if ('next' in result) throw new Error(t('map.pagesMissing'));
  return { ...result, etag: first.etag };
}
