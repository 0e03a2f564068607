import { decodePageCursors, LIVE_STATE_PAGES_HEADER } from '#protocol/live-state.ts';
import { LIVE_STATE_BINARY_TYPE } from '#protocol/live-state-binary.ts';
import type { ApiClient } from '../../api/client.ts';
import { t } from '../../i18n/index.ts';
import type { FeedPage, FeedResult, LiveFeed } from './live-feed.ts';

/**
 * The live state's table and streets from every page, in the binary format (each handed to the
 * feed's worker as it comes, which decodes and checks it), or undefined when the snapshot is
 * still the one of `etag` (304). The first page names every following one: they are all asked for
 * at once, and handed over in order.
 */
export async function fetchLiveState(
  api: ApiClient,
  feed: Pick<LiveFeed, 'ingest'>,
  etag: string | undefined,
) {
  const first = await api.request<ArrayBuffer>('GET', '/luminaires/state', {
    bytes: LIVE_STATE_BINARY_TYPE,
    ...(etag === undefined ? {} : { ifNoneMatch: etag }),
  });
  if (first.status === 304 || first.data === undefined) return undefined;
  const following = decodePageCursors(first.headers.get(LIVE_STATE_PAGES_HEADER)).map((after) =>
    api.get<ArrayBuffer>('/luminaires/state', { query: { after }, bytes: LIVE_STATE_BINARY_TYPE }),
  );
  // Handles every page's failure now: one failing while an earlier one is parsed is not unhandled.
  Promise.all(following).catch(() => undefined);
  // Each page handed over as soon as it and those before it are here, not once the worker has
  // answered the one before: it decodes them back to back. Each answer's failure handled now (one
  // failing while a later page downloads is not unhandled), and again all together below.
  const hand = (page: FeedPage) => {
    const answer = feed.ingest(page);
    answer.catch(() => undefined);
    return answer;
  };
  const answers = [hand({ bytes: first.data, first: true, pages: following.length + 1 })];
  for (const page of following) answers.push(hand({ bytes: await page, first: false }));
  const result = (await Promise.all(answers)).at(-1) as FeedResult;
  if ('next' in result) throw new Error(t('map.pagesMissing'));
  return { ...result, etag: first.etag };
}
