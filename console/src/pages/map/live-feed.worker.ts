/// <reference lib="webworker" />
import { LiveStatePage } from '#protocol/live-state.ts';
import type { FeedAnswer, FeedPage } from './live-feed.ts';
import { mergePages, streetFeatures } from './live-table.ts';

/**
 * Off the page's thread: parses each page of `GET /luminaires/state` (handed over as bytes, not
 * copied), checks it against the API's schema, and after the last one joins them into the typed-
 * array table, hands it over, then draws the streets it implies and hands them over. For 200,000
 * luminaires this is seconds of work and garbage that would otherwise freeze the map page.
 */
let pages: LiveStatePage[] = [];
/** The first page of this snapshot that failed its check: answered after the last page. */
let failure: string | undefined;

const post = (answer: FeedAnswer, buffers: ArrayBuffer[] = []) =>
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(answer, buffers);

function finish(): void {
  if (failure !== undefined) {
    post({ error: failure });
    return;
  }
  const merged = mergePages(pages);
  const { ids, ...table } = merged;
  // Copied, not transferred: the streets below are drawn from the same columns.
  post({ table, ids: JSON.stringify(ids) });
  post({ streets: streetFeatures(merged) });
}

self.onmessage = ({ data: { bytes, first } }: MessageEvent<FeedPage>) => {
  if (first) [pages, failure] = [[], undefined];
  let next: string | undefined;
  try {
    const raw = JSON.parse(new TextDecoder().decode(bytes)) as { next?: unknown };
    // The next page is asked for while this one is checked.
    next = typeof raw.next === 'string' ? raw.next : undefined;
    if (next !== undefined) post({ next });
    pages.push(LiveStatePage.parse(raw));
  } catch (error) {
    failure ??= (error as Error).message;
  }
  if (next === undefined) {
    finish();
    pages = [];
  }
};
