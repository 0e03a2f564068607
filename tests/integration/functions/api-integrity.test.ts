import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_CHUNK_SIZE } from '#functions/api/change/import-inventory.ts';
import {
  IDEMPOTENCY_LEASE_SECONDS,
  IDEMPOTENCY_RECORD_SECONDS,
  makeIdempotencyStore,
} from '#functions/store/idempotency-store.ts';
import { twoRuleConfig } from '#tests/support/functions/api/fixtures.ts';
import { testLuminaires } from '#tests/support/functions/shared/fixtures.ts';
import { uniqueName } from '../local-clients.ts';
import { localApi } from './api-site.ts';

const NOW = Date.parse('2026-06-21T11:00:00Z') / 1000;
const luminaires = testLuminaires(4, uniqueName('I'));
const [bastideDevice] = luminaires;
const override = JSON.stringify({
  target: { zones: ['cite'] },
  level: 100,
  from: '2026-06-21T20:00:00+02:00',
  until: '2026-06-22T02:00:00+02:00',
  reason: 'concert',
});
const csv = (rows: readonly string[]) =>
  ['id,lat,lon,street,zone,ledWatts,baselineWatts,thingName', ...rows].join('\n');

let api: Awaited<ReturnType<typeof localApi>>;
let technician: string;
let citeTechnician: string;

beforeAll(async () => {
  api = await localApi(twoRuleConfig(), luminaires, NOW);
  [technician, citeTechnician] = await Promise.all([
    api.token(['technician']),
    api.token(['technician'], ['cite']),
  ]);
});
afterAll(() => api.stop());

describe('idempotent POSTs on the local cloud', () => {
  it('store one override for a request sent twice with one key, and refuse the key for another body', async () => {
    const headers = { 'Idempotency-Key': uniqueName('key') };
    const first = await api.request('POST', '/overrides', technician, override, 'application/json', headers);
    const retry = await api.request('POST', '/overrides', technician, override, 'application/json', headers);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.json).toEqual(first.json);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect((await api.stores.config.load()).overrides).toHaveLength(1);

    const other = await api.request(
      'POST',
      '/overrides',
      technician,
      override.replace('concert', 'match'),
      'application/json',
      headers,
    );
    expect(other.status).toBe(422);
    expect((await api.stores.config.load()).overrides).toHaveLength(1);
  });

  it('hand a key over once its record expired, or once the claim of a request that died lapsed', async () => {
    const store = makeIdempotencyStore(api.table);
    const key = uniqueName('key');
    expect(await store.claim('p', key, 'f1', NOW)).toEqual({ kind: 'claimed' });
    expect(await store.claim('p', key, 'f1', NOW + 1)).toEqual({ kind: 'in-progress', fingerprint: 'f1' });
    expect(await store.claim('p', key, 'f1', NOW + IDEMPOTENCY_LEASE_SECONDS + 1)).toEqual({
      kind: 'claimed',
    });

    const response = { status: 201, headers: { 'content-type': 'application/json' }, body: '{"id":"x"}' };
    expect(await store.complete('p', key, 'f1', response, NOW + 70)).toBe(true);
    expect(await store.claim('p', key, 'f1', NOW + 80)).toEqual({
      kind: 'done',
      fingerprint: 'f1',
      response,
    });
    await store.release('p', key);
    expect(await store.claim('p', key, 'f2', NOW + 90)).toMatchObject({ kind: 'done' });
    expect(await store.claim('p', key, 'f2', NOW + 71 + IDEMPOTENCY_RECORD_SECONDS)).toEqual({
      kind: 'claimed',
    });
  });
});

describe('an idempotency record', () => {
  it('is not kept for an answer too large for an item: the key is released and the retry runs', async () => {
    const store = makeIdempotencyStore(api.table);
    const key = uniqueName('key');
    await store.claim('p', key, 'f', NOW);
    const body = randomBytes(500_000).toString('base64');
    expect(await store.complete('p', key, 'f', { status: 200, headers: {}, body }, NOW)).toBe(false);
    expect(await store.claim('p', key, 'f', NOW + 1)).toEqual({ kind: 'claimed' });
  });
});

describe('an import on the local cloud', () => {
  it("refuses a zone-limited technician a luminaire on another zone's device", async () => {
    const id = uniqueName('cite');
    const result = await api.request(
      'POST',
      '/luminaires/import',
      citeTechnician,
      csv([`${id},43.2,2.35,Rue A,cite,30,100,${bastideDevice?.thingName}`]),
      'text/csv',
    );
    expect(result.status).toBe(409);
    expect(result.json.errors[0].detail).toContain(`already the device of luminaire "${bastideDevice?.id}"`);
    expect(await api.stores.luminaires.get([id])).toEqual([]);
  });

  it('stores every luminaire with an audit entry per chunk and the parent entry', async () => {
    const prefix = uniqueName('bulk');
    const count = 2 * IMPORT_CHUNK_SIZE + 3;
    const ids = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
    const result = await api.request(
      'POST',
      '/luminaires/import',
      technician,
      csv(ids.map((id) => `${id},43.2,2.35,Rue B,nowhere,30,100,`)),
      'text/csv',
    );
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({ created: count, chunks: 3 });
    expect(await api.stores.luminaires.get(ids)).toHaveLength(count);

    const { items: audit } = await api.stores.audit.list({
      from: '2026-06-01T00:00:00.000Z',
      to: '2026-07-01T00:00:00.000Z',
      limit: 1000,
    });
    const ofImport = audit.filter(
      (entry) =>
        entry.id === result.json.auditId || entry.target.endsWith(`of import ${result.json.auditId}`),
    );
    expect(ofImport.map((entry) => entry.action).sort()).toEqual([
      'luminaires.import',
      'luminaires.import.chunk',
      'luminaires.import.chunk',
      'luminaires.import.chunk',
    ]);
    const written = ofImport
      .filter((entry) => entry.action === 'luminaires.import.chunk')
      .flatMap((entry) => (entry.after as { id: string }[]).map((l) => l.id));
    expect(written.sort()).toEqual([...ids].sort());
  });
});
