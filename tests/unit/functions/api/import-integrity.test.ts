import { describe, expect, it } from 'vitest';
import { IMPORT_CHUNK_SIZE } from '#functions/api/change/import-inventory.ts';
import type { LuminaireStore } from '#functions/store/index.ts';
import { apiHarness } from './api-harness.ts';

const HEADER = 'id,lat,lon,street,zone,ledWatts,baselineWatts,thingName';
const csv = (rows: readonly string[]) => [HEADER, ...rows].join('\n');
const row = (id: string, zone: string, thingName = '') => `${id},43.2,2.35,Rue A,${zone},30,100,${thingName}`;

describe('device identity on import', () => {
  it("refuses a zone-limited technician a luminaire of their zone on another zone's device, naming both", async () => {
    const t = apiHarness();
    // L-0000 is in zone bastide; its device is thing L-0000.
    const result = await t.call(
      'POST',
      '/luminaires/import',
      'citeTech',
      csv([row('N-1', 'cite', 'L-0000')]),
      'text/csv',
    );
    expect(result.status).toBe(409);
    expect(result.body.errors).toEqual([
      {
        name: 'luminaire N-1',
        detail: 'thing name "L-0000" is already the device of luminaire "L-0000" (zone bastide)',
      },
    ]);
    expect(await t.luminaires.get(['N-1'])).toEqual([]);
    expect(t.audit).toEqual([]);
    expect(t.pushed).toEqual([]);
  });

  it('refuses an id whose default thing name is the device of a stored luminaire with another id', async () => {
    const t = apiHarness();
    expect(
      (await t.call('POST', '/luminaires/import', 'tech', csv([row('A/1', 'cite')]), 'text/csv')).status,
    ).toBe(200);
    const result = await t.call('POST', '/luminaires/import', 'tech', csv([row('A_1', 'cite')]), 'text/csv');
    expect(result.status).toBe(409);
    expect(result.body.errors[0].detail).toContain('already the device of luminaire "A/1"');
  });

  it('lets a luminaire keep its own device, and hand its old device to another in the same import', async () => {
    const t = apiHarness();
    const result = await t.call(
      'POST',
      '/luminaires/import',
      'tech',
      csv([row('L-0000', 'bastide', 'dev-new'), row('N-1', 'bastide', 'L-0000'), row('L-0002', 'bastide')]),
      'text/csv',
    );
    expect(result.status).toBe(200);
    expect((await t.luminaires.byThing('L-0000'))?.id).toBe('N-1');
  });

  it('refuses two luminaires of one file on one device, naming both (422)', async () => {
    const t = apiHarness();
    const result = await t.call(
      'POST',
      '/luminaires/import',
      'tech',
      csv([row('N-1', 'cite', 'dev'), row('N-2', 'cite', 'dev')]),
      'text/csv',
    );
    expect(result.status).toBe(422);
    expect(result.body.errors[0].detail).toContain('already the device of luminaire "N-1"');
  });
});

describe('an import in audited transactions', () => {
  const many = (count: number) => Array.from({ length: count }, (_, i) => row(`N-${i}`, 'cite'));

  it('writes chunks of at most 100 items, each with its audit entry, the parent entry with the last', async () => {
    const batches: { luminaires: number; audit: string[] }[] = [];
    const t = apiHarness({
      luminaires: (store): LuminaireStore => ({
        ...store,
        putAudited: async (luminaires, audit) => {
          batches.push({ luminaires: luminaires.length, audit: audit.map((entry) => entry.action) });
          await store.putAudited(luminaires, audit);
        },
      }),
    });
    const count = 2 * IMPORT_CHUNK_SIZE + 5;
    const result = await t.call('POST', '/luminaires/import', 'tech', csv(many(count)), 'text/csv');
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ created: count, chunks: 3 });
    expect(batches).toEqual([
      { luminaires: IMPORT_CHUNK_SIZE, audit: ['luminaires.import.chunk'] },
      { luminaires: IMPORT_CHUNK_SIZE, audit: ['luminaires.import.chunk'] },
      { luminaires: 5, audit: ['luminaires.import.chunk', 'luminaires.import'] },
    ]);
    expect(batches.every((batch) => batch.luminaires + batch.audit.length <= 100)).toBe(true);
    expect(t.audit[0]?.target).toBe(`chunk 1 of 3 of import ${result.body.auditId}`);
  });

  it('answers 503 naming the chunks that landed when a chunk fails, and a resend completes it', async () => {
    let calls = 0;
    let failing = true;
    const t = apiHarness({
      luminaires: (store): LuminaireStore => ({
        ...store,
        putAudited: async (luminaires, audit) => {
          calls += 1;
          if (failing && calls === 2) throw new Error('TransactionCanceledException: throttled');
          await store.putAudited(luminaires, audit);
        },
      }),
    });
    const body = csv(many(IMPORT_CHUNK_SIZE + 1));
    const failed = await t.call('POST', '/luminaires/import', 'tech', body, 'text/csv');
    expect(failed.status).toBe(503);
    expect(failed.body.detail).toContain(
      `chunks 1-1 (the first ${IMPORT_CHUNK_SIZE} luminaires of the file) are stored`,
    );
    expect(failed.body.errors).toEqual([{ name: 'chunk 2', detail: expect.stringContaining('throttled') }]);
    expect(t.audit.map((entry) => entry.action)).toEqual(['luminaires.import.chunk']);
    expect(t.pushed).toEqual([]);

    failing = false;
    const resent = await t.call('POST', '/luminaires/import', 'tech', body, 'text/csv');
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ created: 1, replaced: IMPORT_CHUNK_SIZE });
    expect(await t.luminaires.get([`N-${IMPORT_CHUNK_SIZE}`])).toHaveLength(1);
  });
});
