import { JoinedIds, type LiveTable } from './live-table.ts';
import type { StreetSegments } from './street-segments.ts';

/** A page of `GET /luminaires/state` as it came, `first` of a new snapshot. */
export interface FeedPage {
  readonly bytes: ArrayBuffer;
  readonly first: boolean;
  /** How many pages the snapshot has (told with its first page): the table's room is made once. */
  readonly pages?: number;
}

/**
 * The worker's answer to a page: the cursor of the next one, or after the last the whole table,
 * then in a message of their own the streets it implies.
 */
export type FeedAnswer =
  | { readonly next: string }
  | {
      readonly table: Omit<LiveTable, 'ids'>;
      /** The ids end to end and where each ends (JoinedIds): one string is far cheaper to hand over than 200,000. */
      readonly idText: string;
      readonly idEnds: Uint32Array;
    }
  | { readonly streets: StreetSegments }
  | { readonly error: string };

/**
 * The next page's cursor, or the table with its streets to come: the map counts and draws the
 * luminaires while the worker still draws the streets.
 */
export type FeedResult =
  | { readonly next: string }
  | { readonly table: LiveTable; readonly streets: Promise<StreetSegments> };

/** A page handed to the worker and not answered yet. */
interface Waiting {
  resolve(result: FeedResult): void;
  reject(error: Error): void;
}

/**
 * The live-state pages turned into the map's table and streets in a worker of their own (see
 * live-feed.worker.ts): each page's bytes are transferred to it as soon as it is handed over, the
 * table's typed arrays transferred back. The worker answers the pages in the order they came, so
 * it goes from one to the next without waiting for the page's thread to read its answer (busy
 * with MapLibre, that thread left it idle between pages). One worker per visit of the map page,
 * ended with it.
 */
export function liveFeed() {
  const worker = new Worker(new URL('./live-feed.worker.ts', import.meta.url), { type: 'module' });
  const waiting: Waiting[] = [];
  let streetsDrawn: ((streets: StreetSegments) => void) | undefined;
  worker.onmessage = ({ data }: MessageEvent<FeedAnswer>) => {
    if ('streets' in data) {
      streetsDrawn?.(data.streets);
      return;
    }
    const page = waiting.shift();
    if ('error' in data) page?.reject(new Error(data.error));
    else if ('next' in data) page?.resolve(data);
    else
      page?.resolve({
        table: { ...data.table, ids: new JoinedIds(data.idText, data.idEnds) },
        streets: new Promise((drawn) => {
          streetsDrawn = drawn;
        }),
      });
  };
  worker.onerror = (event) => {
    for (const page of waiting.splice(0)) page.reject(new Error(event.message));
  };
  return {
    /** The next page's cursor, or after the last page the table and its streets (pages in the order asked). */
    ingest(page: FeedPage): Promise<FeedResult> {
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        worker.postMessage(page, [page.bytes]);
      });
    },
    close: () => worker.terminate(),
  };
}

export type LiveFeed = ReturnType<typeof liveFeed>;
