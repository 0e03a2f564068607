/// <reference lib="webworker" />
import { LiveStatePage } from '#protocol/live-state.ts';
import type { FeedAnswer, FeedPage } from './live-feed.ts';
import { mergePages, streetFeatures } from './live-table.ts';

/**
 * Off the page's thread: parses each page of `GET /luminaires/state` (handed over as bytes, not
 * copied), checks it against the API's schema, and after the last one joins them into the typed-
 * array table and draws the streets it implies. For 200,000 luminaires this is seconds of work
 * and garbage that would otherwise freeze the map page.
 */
let pages: LiveStatePage[] = [];

function answerOf({ bytes, first }: FeedPage): { answer: FeedAnswer; buffers: ArrayBuffer[] } {
  if (first) pages = [];
  const page = LiveStatePage.parse(JSON.parse(new TextDecoder().decode(bytes)));
  pages.push(page);
  if (page.next !== undefined) return { answer: { next: page.next }, buffers: [] };
  const { ids, ...table } = mergePages(pages);
  pages = [];
  const { lon, lat, x, y, zone, street, state, level, age } = table;
  return {
    // One string rather than an array of 200,000: far cheaper to hand over.
    answer: { table, ids: JSON.stringify(ids), streets: streetFeatures({ ids, ...table }) },
    buffers: [lon, lat, x, y, zone, street, state, level, age].map((column) => column.buffer as ArrayBuffer),
  };
}

self.onmessage = (event: MessageEvent<FeedPage>) => {
  let reply: { answer: FeedAnswer; buffers: ArrayBuffer[] };
  try {
    reply = answerOf(event.data);
  } catch (failure) {
    pages = [];
    reply = { answer: { error: (failure as Error).message }, buffers: [] };
  }
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(reply.answer, reply.buffers);
};
