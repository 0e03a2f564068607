import { describe, expect, it } from 'vitest';
import { LIVE_STATE_PAGE_LUMINAIRES } from '#functions/api/routes/live-state.ts';
import type { LiveStateEntry } from '#functions/store/index.ts';
import { decodePageCursors, LIVE_STATE_PAGES_HEADER, LIVE_STATES } from '#protocol/live-state.ts';
import { decodeLiveStatePage, LIVE_STATE_BINARY_TYPE } from '#protocol/live-state-binary.ts';
import { LiveStatePage } from '#protocol/live-state-page.ts';
import { memoryLiveStateStore } from '../../shared/memory-stores.ts';
import { apiHarness } from '../api-harness.ts';

const entry = (i: number, zone: string, street: string, state: number, level: number): LiveStateEntry => ({
  id: `L-${String(i).padStart(5, '0')}`,
  zone,
  street,
  lon: 2.36441234 + i / 1e4,
  lat: 43.2068,
  state,
  level,
  age: i * 10,
});
const LIT = LIVE_STATES.indexOf('lit');
const OFF = LIVE_STATES.indexOf('off');

async function sweptSite(partSize?: number) {
  const liveState = memoryLiveStateStore('test', partSize);
  await liveState.replace('2026-06-21T22:00:00.000Z', 900, [
    entry(1, 'cite', 'Rue Trivalle', LIT, 70),
    entry(2, 'bastide', 'Rue de Verdun', OFF, 0),
    entry(3, 'cite', 'Rue Barbacane', LIT, 100),
    entry(4, 'bastide', 'Rue de Verdun', LIT, 50),
  ]);
  return apiHarness({ liveState });
}

describe('GET /luminaires/state', () => {
  it('answers the snapshot in columns, zone and street names listed once', async () => {
    const { call } = await sweptSite();
    const { status, body, headers } = await call('GET', '/luminaires/state', 'tech');
    expect(status).toBe(200);
    const page = LiveStatePage.parse(body);
    expect(page).toMatchObject({
      at: '2026-06-21T22:00:00.000Z',
      reportIntervalSeconds: 900,
      zones: ['bastide', 'cite'],
      streets: ['Rue de Verdun', 'Rue Barbacane', 'Rue Trivalle'],
      ids: ['L-00002', 'L-00004', 'L-00003', 'L-00001'],
      zone: [0, 0, 1, 1],
      street: [0, 0, 1, 2],
      state: [OFF, LIT, LIT, LIT],
      level: [0, 50, 100, 70],
      age: [20, 40, 30, 10],
    });
    expect(page.lon[3]).toBe(2.36451);
    expect(headers['cache-control']).toBe('private, no-cache');
  });

  it('answers the same page in the binary format to a client that asks for it, with an ETag of its own', async () => {
    const { call } = await sweptSite();
    const asJson = await call('GET', '/luminaires/state', 'citeTech');
    const accept = { accept: `${LIVE_STATE_BINARY_TYPE}, application/problem+json` };
    const asBytes = await call('GET', '/luminaires/state', 'citeTech', undefined, undefined, accept);
    expect(asBytes.headers['content-type']).toBe(LIVE_STATE_BINARY_TYPE);
    const decoded = decodeLiveStatePage(Buffer.from(String(asBytes.body), 'base64'));
    expect({ ...decoded, lon: [...decoded.lon], lat: [...decoded.lat] }).toMatchObject({
      ...LiveStatePage.parse(asJson.body),
      zone: new Uint32Array([0, 0]),
      street: new Uint32Array([0, 1]),
      state: new Uint8Array([LIT, LIT]),
      level: new Uint8Array([100, 70]),
      age: new Int32Array([30, 10]),
    });
    expect(asBytes.headers.etag).not.toBe(asJson.headers.etag);
    expect(asBytes.headers.vary).toBe('accept');
    const again = await call('GET', '/luminaires/state', 'citeTech', undefined, undefined, {
      ...accept,
      'if-none-match': String(asBytes.headers.etag),
    });
    expect(again.status).toBe(304);
  });

  it('answers 304 to a poll whose ETag is still the snapshot, and 200 once the sweep wrote a new one', async () => {
    const liveState = memoryLiveStateStore();
    await liveState.replace('2026-06-21T22:00:00.000Z', 900, [entry(1, 'cite', 'Rue Trivalle', LIT, 70)]);
    const { call } = apiHarness({ liveState });
    const first = await call('GET', '/luminaires/state', 'tech');
    const etag = String(first.headers.etag);
    const again = await call('GET', '/luminaires/state', 'tech', undefined, undefined, {
      'if-none-match': etag,
    });
    expect(again.status).toBe(304);
    await liveState.replace('2026-06-21T22:15:00.000Z', 900, [entry(1, 'cite', 'Rue Trivalle', OFF, 0)]);
    const changed = await call('GET', '/luminaires/state', 'tech', undefined, undefined, {
      'if-none-match': etag,
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
  });

  it("gives a zone-limited technician their zones only, and refuses another zone's", async () => {
    const { call } = await sweptSite();
    const { body } = await call('GET', '/luminaires/state', 'citeTech');
    expect(body).toMatchObject({ zones: ['cite'], ids: ['L-00003', 'L-00001'] });
    expect((await call('GET', '/luminaires/state?zone=bastide', 'citeTech')).status).toBe(403);
    expect((await call('GET', '/luminaires/state?zone=bastide', 'admin')).body).toMatchObject({
      ids: ['L-00002', 'L-00004'],
    });
  });

  it('pages a snapshot larger than one answer through `next`', async () => {
    const liveState = memoryLiveStateStore();
    const count = LIVE_STATE_PAGE_LUMINAIRES + 2_000;
    await liveState.replace(
      '2026-06-21T22:00:00.000Z',
      900,
      Array.from({ length: count }, (_, i) => entry(i, 'cite', 'Rue Trivalle', LIT, 100)),
    );
    const { call } = apiHarness({ liveState });
    const first = LiveStatePage.parse((await call('GET', '/luminaires/state', 'tech')).body);
    expect(first.ids).toHaveLength(LIVE_STATE_PAGE_LUMINAIRES);
    expect(first.next).toBeDefined();
    const rest = LiveStatePage.parse(
      (await call('GET', `/luminaires/state?after=${encodeURIComponent(first.next ?? '')}`, 'tech')).body,
    );
    expect(rest.ids).toHaveLength(2_000);
    expect(rest.next).toBeUndefined();
    expect(new Set([...first.ids, ...rest.ids]).size).toBe(count);
  });

  it("lists on the first page every following page's cursor, so they can all be asked for at once", async () => {
    const liveState = memoryLiveStateStore();
    const count = 2 * LIVE_STATE_PAGE_LUMINAIRES + 1_000;
    await liveState.replace(
      '2026-06-21T22:00:00.000Z',
      900,
      Array.from({ length: count }, (_, i) =>
        entry(i, i % 2 === 0 ? 'cite' : 'bastide', 'Rue Trivalle', LIT, 100),
      ),
    );
    const { call } = apiHarness({ liveState });
    const first = await call('GET', '/luminaires/state', 'tech');
    const cursors = decodePageCursors(String(first.headers[LIVE_STATE_PAGES_HEADER]));
    expect(cursors).toHaveLength(2);
    expect(cursors[0]).toBe(LiveStatePage.parse(first.body).next);
    const pages = await Promise.all(
      cursors.map((after) => call('GET', `/luminaires/state?after=${encodeURIComponent(after)}`, 'tech')),
    );
    expect(pages.map((page) => page.headers[LIVE_STATE_PAGES_HEADER])).toEqual([undefined, undefined]);
    const [second, last] = pages.map((page) => LiveStatePage.parse(page.body));
    expect(second?.next).toBe(cursors[1]);
    expect(last?.next).toBeUndefined();
    const ids = [first, ...pages].flatMap((page) => LiveStatePage.parse(page.body).ids);
    expect(new Set(ids).size).toBe(count);
  });

  it('names no following page when the snapshot fits one answer', async () => {
    const { call } = await sweptSite();
    const { headers } = await call('GET', '/luminaires/state', 'tech');
    expect(headers[LIVE_STATE_PAGES_HEADER]).toBeUndefined();
  });

  it('answers empty columns before the first sweep, and refuses finance and a bad cursor', async () => {
    const { call } = apiHarness();
    expect((await call('GET', '/luminaires/state', 'tech')).body).toMatchObject({ at: null, ids: [] });
    expect((await call('GET', '/luminaires/state', 'finance')).status).toBe(403);
    const bad = await call('GET', '/luminaires/state?after=x', 'tech');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].name).toBe('after');
  });
});
