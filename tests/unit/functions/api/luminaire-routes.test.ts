import { describe, expect, it, vi } from 'vitest';
import type { Alarm, AlarmStore } from '#functions/store/index.ts';
import { parseCsvInventory, parseGeoJsonInventory } from '#schedules/inventory/index.ts';
import { apiHarness } from './api-harness.ts';

const byId = <T extends { id: string }>(list: readonly T[]): T[] =>
  [...list].sort((a, b) => a.id.localeCompare(b.id));

describe('GET /luminaires/{id}/energy', () => {
  it('answers every night of the range: metered from the luminaire-day items, planned and baseline', async () => {
    const luminaireNights = vi.fn(async () => [
      { night: '2026-06-20', wh: 123.456, burnH: 7.5, reports: 30, firstTs: null, lastTs: null },
    ]);
    const t = apiHarness({ luminaireNights });
    const result = await t.call('GET', '/luminaires/L-0000/energy?from=2026-06-19&to=2026-06-21', 'tech');
    expect(result.status).toBe(200);
    expect(luminaireNights).toHaveBeenCalledWith('L-0000', '2026-06-19', '2026-06-21');
    expect(result.body).toMatchObject({
      id: 'L-0000',
      zone: 'bastide',
      from: '2026-06-19',
      to: '2026-06-21',
    });
    expect(result.body.nights.map((n: { night: string }) => n.night)).toEqual([
      '2026-06-19',
      '2026-06-20',
      '2026-06-21',
    ]);
    expect(result.body.nights[0]).toMatchObject({ meteredWh: null, burnH: null, reports: 0 });
    expect(result.body.nights[1]).toMatchObject({ meteredWh: 123.5, burnH: 7.5, reports: 30 });
    for (const night of result.body.nights) {
      expect(night.plannedWh).toBeGreaterThan(0);
      expect(night.baselineWh).toBeGreaterThan(night.plannedWh);
    }
    expect(result.body.totals.meteredWh).toBe(123.5);
  });

  it('answers the longest range, 366 nights', async () => {
    const t = apiHarness();
    const result = await t.call('GET', '/luminaires/L-0001/energy?from=2025-06-21&to=2026-06-21', 'tech');
    expect(result.status).toBe(200);
    expect(result.body.nights).toHaveLength(366);
  });

  it('names the bad query parameter in a 400: a bad date, a reversed or oversize range, a missing bound', async () => {
    const t = apiHarness();
    const errorsOf = async (query: string) => {
      const result = await t.call('GET', `/luminaires/L-0000/energy${query}`, 'tech');
      expect(result.status).toBe(400);
      return result.body.errors.map((e: { name: string }) => e.name);
    };
    expect(await errorsOf('?from=2026-02-30&to=2026-03-01')).toEqual(['from']);
    expect(await errorsOf('?from=2026-06-21&to=2026-06-20')).toEqual(['to']);
    expect(await errorsOf('?from=2025-01-01&to=2026-01-02')).toEqual(['to']);
    expect(await errorsOf('?from=2026-06-01')).toEqual(['to']);
  });

  it('answers 404 for an unknown luminaire and 403 for a luminaire outside a technician’s zones', async () => {
    const t = apiHarness();
    const range = 'from=2026-06-20&to=2026-06-21';
    expect((await t.call('GET', `/luminaires/L-9999/energy?${range}`, 'tech')).status).toBe(404);
    expect((await t.call('GET', `/luminaires/L-0000/energy?${range}`, 'citeTech')).status).toBe(403);
    expect((await t.call('GET', `/luminaires/L-0001/energy?${range}`, 'citeTech')).status).toBe(200);
    expect((await t.call('GET', `/luminaires/L-0001/energy?${range}`, 'finance')).status).toBe(403);
  });
});

describe('GET /luminaires/export', () => {
  it('exports CSV and GeoJSON attachments the import reads back as the same inventory', async () => {
    const t = apiHarness();
    const inventory = byId(await t.luminaires.listAll());
    const csv = await t.call('GET', '/luminaires/export?format=csv', 'tech');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="luminaires-all.csv"');
    const geojson = await t.call('GET', '/luminaires/export', 'tech');
    expect(geojson.headers['content-type']).toBe('application/geo+json');
    const geojsonText = JSON.stringify(geojson.body);

    const fromCsv = parseCsvInventory(csv.body, 'export');
    const fromGeoJson = parseGeoJsonInventory(geojsonText, 'export');
    expect(fromCsv.ok && byId(fromCsv.value)).toEqual(inventory);
    expect(fromGeoJson.ok && byId(fromGeoJson.value)).toEqual(inventory);

    const reimported = await t.call(
      'POST',
      '/luminaires/import',
      'tech',
      geojsonText,
      'application/geo+json',
    );
    expect(reimported.status).toBe(200);
    expect(reimported.body).toMatchObject({ created: 0, replaced: 6, preview: { changed: 0 } });
    expect(byId(await t.luminaires.listAll())).toEqual(inventory);
  });

  it('exports one zone, and only the zones of a zone-limited technician', async () => {
    const t = apiHarness();
    const zone = await t.call('GET', '/luminaires/export?zone=bastide', 'tech');
    expect(zone.body.features.map((f: { properties: { zone: string } }) => f.properties.zone)).toEqual([
      'bastide',
      'bastide',
      'bastide',
    ]);
    expect(zone.headers['content-disposition']).toBe('attachment; filename="luminaires-bastide.geojson"');
    const limited = await t.call('GET', '/luminaires/export', 'citeTech');
    expect(limited.body.features).toHaveLength(3);
    expect(
      limited.body.features.every((f: { properties: { zone: string } }) => f.properties.zone === 'cite'),
    ).toBe(true);
    expect((await t.call('GET', '/luminaires/export?zone=bastide', 'citeTech')).status).toBe(403);
  });

  it('names a bad format in a 400 and is refused to finance', async () => {
    const t = apiHarness();
    const bad = await t.call('GET', '/luminaires/export?format=kml', 'tech');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { name: string }) => e.name)).toEqual(['format']);
    expect((await t.call('GET', '/luminaires/export', 'finance')).status).toBe(403);
  });
});

function alarmsOf(open: readonly Alarm[]): AlarmStore & { cleared: string[] } {
  const cleared: string[] = [];
  return {
    cleared,
    open: vi.fn(),
    listOpen: async () => [],
    openDuring: async () => [],
    forLuminaire: async (id) =>
      open.filter((a) => a.luminaireId === id && !cleared.includes(`${id}/${a.kind}`)),
    clear: async (id, kind) => {
      cleared.push(`${id}/${kind}`);
      return 'cleared';
    },
  };
}

const lampFailure: Alarm = {
  luminaireId: 'L-0001',
  kind: 'lampFailure',
  zone: 'cite',
  street: 'Rue Trivalle',
  state: 'open',
  openedAt: '2026-06-20T22:00:00.000Z',
};

describe('POST /luminaires/{id}/decommission', () => {
  it('takes the luminaire out of the inventory, audited, clears its open alarms and keeps its history', async () => {
    const alarms = alarmsOf([lampFailure, { ...lampFailure, kind: 'dayBurning', state: 'cleared' }]);
    const t = apiHarness({ alarms });
    const result = await t.call('POST', '/luminaires/L-0001/decommission', 'tech', {
      reason: 'pole removed',
    });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      luminaire: { id: 'L-0001', zone: 'cite' },
      decommissionedAt: '2026-06-21T14:00:00.000Z',
      decommissionedBy: 'theo',
      reason: 'pole removed',
      alreadyDecommissioned: false,
      clearedAlarms: ['lampFailure'],
    });
    expect(alarms.cleared).toEqual(['L-0001/lampFailure']);
    expect(t.audit.at(-1)).toMatchObject({
      id: result.body.auditId,
      action: 'luminaire.decommission',
      target: 'luminaire L-0001',
      before: { id: 'L-0001' },
    });
    expect(await t.luminaires.get(['L-0001'])).toEqual([]);
    expect((await t.call('GET', '/luminaires/L-0001', 'tech')).status).toBe(404);
    const history = await t.call('GET', '/luminaires/L-0001/energy?from=2026-06-20&to=2026-06-22', 'tech');
    expect(history.status).toBe(200);
    expect(history.body.decommissionedAt).toBe('2026-06-21T14:00:00.000Z');
    expect(history.body.nights.map((n: { plannedWh: number | null }) => n.plannedWh !== null)).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('answers a repeated decommission with the first one, without a second audit entry', async () => {
    const t = apiHarness();
    const first = await t.call('POST', '/luminaires/L-0002/decommission', 'admin');
    const again = await t.call('POST', '/luminaires/L-0002/decommission', 'tech');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      decommissionedAt: first.body.decommissionedAt,
      decommissionedBy: 'ada',
      alreadyDecommissioned: true,
    });
    expect(t.audit.filter((e) => e.action === 'luminaire.decommission')).toHaveLength(1);
  });

  it('refuses an unknown luminaire (404), another zone (403), finance (403) and a bad body (422)', async () => {
    const t = apiHarness();
    expect((await t.call('POST', '/luminaires/L-9999/decommission', 'tech')).status).toBe(404);
    expect((await t.call('POST', '/luminaires/L-0000/decommission', 'citeTech')).status).toBe(403);
    expect((await t.call('POST', '/luminaires/L-0000/decommission', 'finance')).status).toBe(403);
    const bad = await t.call('POST', '/luminaires/L-0000/decommission', 'tech', {
      reason: '',
      colour: 'red',
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['', '/reason']);
    expect(await t.luminaires.get(['L-0000'])).toHaveLength(1);
    expect(t.audit).toEqual([]);
  });
});
