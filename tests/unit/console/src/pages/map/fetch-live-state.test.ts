import { describe, expect, it } from 'vitest';
import type { ApiAnswer, ApiClient, RequestOptions } from '#console/src/api/client.ts';
import { t } from '#console/src/i18n/index.ts';
import { fetchLiveState } from '#console/src/pages/map/fetch-live-state.ts';
import type { FeedPage, FeedResult } from '#console/src/pages/map/live-feed.ts';
import { encodePageCursors, LIVE_STATE_PAGES_HEADER } from '#protocol/live-state.ts';
import { LIVE_STATE_BINARY_TYPE } from '#protocol/live-state-binary.ts';

const bytesOf = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;
const textOf = (bytes: ArrayBuffer) => new TextDecoder().decode(bytes);

/**
 * An API of pages named by their cursor ('' the first), each answered when `release` is called
 * with its name; and a feed that records what it got in order, the last page giving the table.
 */
function site(cursors: string[], options: { failing?: string } = {}) {
  const asked: string[] = [];
  /** The media type each request asked for, in the order asked. */
  const formats: (string | undefined)[] = [];
  const waiting = new Map<string, () => void>();
  const answer = (after: string) =>
    new Promise<ArrayBuffer>((resolve, reject) => {
      asked.push(after);
      waiting.set(after, () =>
        after === options.failing ? reject(new Error(`page ${after} failed`)) : resolve(bytesOf(after)),
      );
    });
  const api = {
    async request<T>(_method: string, _path: string, requestOptions?: RequestOptions) {
      formats.push(requestOptions?.bytes);
      const data = await answer('');
      const headers = new Headers(
        cursors.length > 0 ? { [LIVE_STATE_PAGES_HEADER]: encodePageCursors(cursors) } : {},
      );
      const etag = requestOptions?.ifNoneMatch === '"v1"' ? undefined : '"v1"';
      return {
        status: etag === undefined ? 304 : 200,
        data: etag === undefined ? undefined : data,
        etag,
        headers,
      } as ApiAnswer<T>;
    },
    get: <T>(_path: string, requestOptions?: RequestOptions) => {
      formats.push(requestOptions?.bytes);
      return answer(String(requestOptions?.query?.after)) as Promise<T>;
    },
    url: () => '',
  } as unknown as ApiClient;
  const ingested: string[] = [];
  const feed = {
    async ingest(page: FeedPage): Promise<FeedResult> {
      ingested.push(`${page.first ? `first of ${page.pages}:` : ''}${textOf(page.bytes)}`);
      return ingested.length === cursors.length + 1
        ? ({ table: { ids: ['L-1'] }, streets: { features: [] } } as never)
        : { next: 'ignored' };
    },
  };
  const release = async (...names: string[]) => {
    for (const name of names) waiting.get(name)?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { api, feed, asked, formats, ingested, release };
}

describe('fetching the live state for the map', () => {
  it('asks for every following page as soon as the first answers, and hands them over in order', async () => {
    const { api, feed, asked, formats, ingested, release } = site(['PART#a#0001', 'PART#b,c#0000']);
    const fetched = fetchLiveState(api, feed, undefined);
    await release('');
    expect(asked).toEqual(['', 'PART#a#0001', 'PART#b,c#0000']);
    await release('PART#b,c#0000');
    expect(ingested).toEqual(['first of 3:']);
    await release('PART#a#0001');
    const result = await fetched;
    expect(ingested).toEqual(['first of 3:', 'PART#a#0001', 'PART#b,c#0000']);
    expect(result).toMatchObject({ table: { ids: ['L-1'] }, etag: '"v1"' });
    expect(formats).toEqual([LIVE_STATE_BINARY_TYPE, LIVE_STATE_BINARY_TYPE, LIVE_STATE_BINARY_TYPE]);
  });

  it("hands each page over as it comes, without waiting for the worker's answer to the one before", async () => {
    const { api, release } = site(['PART#a#0001']);
    const handed: string[] = [];
    const answers: ((result: FeedResult) => void)[] = [];
    const feed = {
      ingest: (page: FeedPage) =>
        new Promise<FeedResult>((resolve) => {
          handed.push(textOf(page.bytes));
          answers.push(resolve);
        }),
    };
    const fetched = fetchLiveState(api, feed, undefined);
    await release('');
    await release('PART#a#0001');
    expect(handed).toEqual(['', 'PART#a#0001']);
    answers[0]?.({ next: 'PART#a#0001' });
    answers[1]?.({ table: { ids: ['L-1'] }, streets: Promise.resolve('') } as never);
    expect(await fetched).toMatchObject({ table: { ids: ['L-1'] } });
  });

  it('answers nothing new while the snapshot is the one already shown', async () => {
    const { api, feed, ingested, release } = site([]);
    const fetched = fetchLiveState(api, feed, '"v1"');
    await release('');
    expect(await fetched).toBeUndefined();
    expect(ingested).toEqual([]);
  });

  it('fails when a page fails, whichever page it is', async () => {
    const { api, feed, release } = site(['PART#a#0001', 'PART#a#0002'], { failing: 'PART#a#0002' });
    const failed = expect(fetchLiveState(api, feed, undefined)).rejects.toThrow('page PART#a#0002 failed');
    await release('');
    await release('PART#a#0002', 'PART#a#0001');
    await failed;
  });

  it('fails when the pages named end before the snapshot does', async () => {
    const { api, release } = site(['PART#a#0001']);
    const feed = { ingest: async (): Promise<FeedResult> => ({ next: 'PART#a#0002' }) };
    const failed = expect(fetchLiveState(api, feed, undefined)).rejects.toThrow(t('map.pagesMissing'));
    await release('');
    await release('PART#a#0001');
    await failed;
  });
});
