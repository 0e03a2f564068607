import { z } from 'zod';
import {
  emptyLiveStatePage,
  encodePageCursors,
  LIVE_STATE_PAGES_HEADER,
  NameList,
} from '#protocol/live-state.ts';
import { encodeLiveStatePage, LIVE_STATE_BINARY_TYPE } from '#protocol/live-state-binary.ts';
import type { LiveStatePage } from '#protocol/live-state-page.ts';
import { isZoneLimited, type Principal } from '#protocol/principal.ts';
import { PlaceName } from '#schedules/inventory/schema.ts';
import type { LiveStateHead, LiveStatePart, LiveStatePartRef } from '../../store/index.ts';
import type { ApiDeps } from '../deps.ts';
import { etagOf } from '../etag.ts';
import { ApiProblem } from '../problem.ts';
import { bytes, json, parseQuery, type Route } from '../router.ts';
import { SCHEDULE_ROLES } from './config-collection.ts';

/**
 * Luminaires in one answer: about 50 bytes each in JSON, so a page stays near 2.5 MB, well within
 * Lambda's 6 MB answer (the binary format, about 20 bytes each, is 1.3 MB in base64); a larger site
 * (200,000 luminaires) comes in a few pages.
 */
export const LIVE_STATE_PAGE_LUMINAIRES = 50_000;

/** A part key as the store writes it (`PART#<zone>#0001`): the cursor of the next page. */
const PartKey = z
  .string()
  .max(200, 'must be at most 200 characters')
  .regex(/^PART#.+#\d{4}$/, 'must be the `next` of a previous page');

const StateQuery = z.object({ zone: PlaceName.optional(), after: PartKey.optional() });

/** Whether the client asks for the binary format (the console's map) rather than JSON. */
const wantsBinary = (accept: string | undefined): boolean =>
  accept?.toLowerCase().includes(LIVE_STATE_BINARY_TYPE) === true;

/** The parts a principal may read, of one zone when asked, after the cursor. */
function visibleParts(
  head: LiveStateHead,
  principal: Principal,
  zone: string | undefined,
  after: string | undefined,
) {
  const limit = isZoneLimited(principal) && principal.zones !== 'all' ? new Set(principal.zones) : undefined;
  return head.parts.filter(
    (part) =>
      (zone === undefined || part.zone === zone) &&
      (limit === undefined || limit.has(part.zone)) &&
      (after === undefined || part.key > after),
  );
}

/** The parts cut into pages of the page budget (each at least one part). */
function pagesOf(parts: readonly LiveStatePartRef[]): LiveStatePartRef[][] {
  const pages: LiveStatePartRef[][] = [];
  let page: LiveStatePartRef[] = [];
  let count = 0;
  for (const part of parts) {
    if (page.length > 0 && count + part.count > LIVE_STATE_PAGE_LUMINAIRES) {
      pages.push(page);
      [page, count] = [[], 0];
    }
    page.push(part);
    count += part.count;
  }
  return [...pages, page];
}

/** The parts' columns end to end, zone and street names shared in one list each. */
function columns(
  at: string | null,
  reportIntervalSeconds: number,
  parts: readonly LiveStatePart[],
): LiveStatePage {
  const zones = new NameList();
  const streets = new NameList();
  const page = {
    ...emptyLiveStatePage(at, reportIntervalSeconds),
    zones: zones.names,
    streets: streets.names,
  };
  for (const part of parts) {
    const zone = zones.indexOf(part.zone);
    const partStreets = part.streets.map((street) => streets.indexOf(street));
    page.ids.push(...part.ids);
    page.lon.push(...part.lon);
    page.lat.push(...part.lat);
    page.zone.push(...part.ids.map(() => zone));
    page.street.push(...part.street.map((i) => partStreets[i] ?? 0));
    page.state.push(...part.state);
    page.level.push(...part.level);
    page.age.push(...part.age);
  }
  return page;
}

/**
 * `GET /luminaires/state`: the map's live state, from the snapshot the alarm sweep writes (AP25),
 * never from the luminaires' shadows. Its ETag changes with the snapshot, so a console polling with
 * If-None-Match gets a 304 for one read until the next sweep. A zone-limited technician gets
 * their zones only. The first page lists every following page's cursor (LIVE_STATE_PAGES_HEADER):
 * the pages are cut from the snapshot's head alone, before any part is read. JSON, or to a client
 * whose Accept names application/octet-stream the same pages in the binary format the console's
 * map reads (live-state-binary.ts), each format with its own ETag.
 */
export function liveStateRoutes(deps: ApiDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/luminaires/state',
      roles: SCHEDULE_ROLES,
      async handle(request) {
        const { zone, after } = parseQuery(request, StateQuery);
        const { principal } = request;
        if (zone !== undefined && isZoneLimited(principal) && principal.zones !== 'all') {
          if (!principal.zones.includes(zone))
            throw new ApiProblem('forbidden', `zone ${zone} is outside your zones`);
        }
        const head = await deps.liveState.head();
        const limit = principal.zones === 'all' || !isZoneLimited(principal) ? 'all' : principal.zones;
        const binary = wantsBinary(request.headers.accept);
        const etag = etagOf({ at: head?.at ?? null, zone, after, limit, binary });
        const headers = { etag, 'cache-control': 'private, no-cache', vary: 'accept' };
        const answer = (page: LiveStatePage, pageHeaders: Record<string, string>) =>
          binary
            ? bytes(200, encodeLiveStatePage(page), LIVE_STATE_BINARY_TYPE, pageHeaders)
            : json(200, page, pageHeaders);
        if (request.headers['if-none-match'] === etag) return { status: 304, headers };
        if (head === undefined) {
          const { alarms } = await deps.config.load();
          return answer(columns(null, alarms.reportIntervalSeconds, []), headers);
        }
        const [refs = [], ...following] = pagesOf(visibleParts(head, principal, zone, after));
        const parts = await deps.liveState.parts(refs.map((part) => part.key));
        const page = columns(head.at, head.reportIntervalSeconds, parts);
        // A page's cursor is the key of the last part before it.
        const cursors = [refs, ...following].slice(0, -1).map((parts) => parts.at(-1)?.key ?? '');
        const next = cursors[0];
        const first = after === undefined && next !== undefined;
        return answer(
          next === undefined ? page : { ...page, next },
          first ? { ...headers, [LIVE_STATE_PAGES_HEADER]: encodePageCursors(cursors) } : headers,
        );
      },
    },
  ];
}
