/// <reference lib="webworker" />
import { decodeLiveStatePage } from '#protocol/live-state-binary.ts';
import type { FeedAnswer, FeedPage } from './live-feed.ts';
import { LiveTableBuilder } from './live-table.ts';
import { streetSegments } from './street-segments.ts';

/**
 * Off the page's thread: decodes each page of `GET /luminaires/state` in the binary format (handed
 * over as bytes, not copied), which checks every length, index and bound, and joins it into the
 * typed-array table as it comes, so that after the last one the table is handed over at once;
 * then draws the streets it implies and hands them over as segments for the map's GPU. For
 * 200,000 luminaires this is work and garbage that would otherwise freeze the map page.
 */
let builder: LiveTableBuilder | undefined;

const post = (answer: FeedAnswer, buffers: ArrayBuffer[] = []) =>
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(answer, buffers);

function finish(joined: LiveTableBuilder): void {
  const merged = joined.table();
  const { ids, ...table } = merged;
  // The streets are drawn from copies of the columns they read: the table's are transferred.
  const forStreets = {
    streets: merged.streets,
    lon: merged.lon.slice(),
    lat: merged.lat.slice(),
    x: merged.x.slice(),
    y: merged.y.slice(),
    zone: merged.zone.slice(),
    street: merged.street.slice(),
  };
  const { lon, lat, x, y, zone, street, state, level, age } = table;
  const buffers = [lon, lat, x, y, zone, street, state, level, age, ids.ends].map(
    (column) => column.buffer as ArrayBuffer,
  );
  post({ table, idText: ids.text, idEnds: ids.ends }, buffers);
  const streets = streetSegments(forStreets);
  post({ streets }, [streets.segments.buffer as ArrayBuffer]);
}

self.onmessage = ({ data: { bytes, first, pages } }: MessageEvent<FeedPage>) => {
  try {
    const page = decodeLiveStatePage(bytes);
    // Room for every page as large as the first (the last one is at most as large).
    if (first) builder = new LiveTableBuilder(page.ids.length * (pages ?? 1));
    // After a page failed, the snapshot's following pages are answered, not joined.
    if (builder === undefined) throw new Error('a page of the live state failed before this one');
    builder.add(page);
    if (page.next !== undefined) post({ next: page.next });
    else {
      finish(builder);
      builder = undefined;
    }
  } catch (error) {
    builder = undefined;
    post({ error: (error as Error).message });
  }
};
