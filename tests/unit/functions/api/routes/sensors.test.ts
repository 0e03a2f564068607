import { beforeEach, describe, expect, it } from 'vitest';
import { apiHarness } from '../api-harness.ts';

let t: ReturnType<typeof apiHarness>;
beforeEach(() => {
  t = apiHarness();
});

const sensor = (id: string, zone = 'cite') => ({
  id,
  lat: 43.2068,
  lon: 2.3644,
  street: 'Rue Trivalle',
  zone,
});
const feature = (id: string, coordinates: number[], properties: Record<string, unknown> = {}) => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates },
  properties: { id, street: 'Rue Trivalle', zone: 'cite', ...properties },
});

describe('sensor inventory', () => {
  it('imports a JSON list of sensors with one audit entry, and lists them by zone', async () => {
    const result = await t.call('POST', '/sensors/import', 'citeTech', [
      sensor('S-cite-2'),
      sensor('S-cite-1'),
    ]);
    expect(result).toMatchObject({
      status: 200,
      body: { dryRun: false, action: 'sensors.import', created: 1, replaced: 1, auditId: 'id-1' },
    });
    expect(t.sensors.imports).toEqual([{ items: [sensor('S-cite-2'), sensor('S-cite-1')], auditId: 'id-1' }]);
    const listed = await t.call('GET', '/sensors?zone=cite', 'tech');
    expect(listed.body.items.map((s: { id: string }) => s.id)).toEqual(['S-cite-1', 'S-cite-2']);
    expect((await t.call('GET', '/sensors?zone=bastide', 'tech')).body).toEqual({ items: [] });
  });

  it('imports GeoJSON points at [longitude, latitude], ignoring extra properties', async () => {
    const body = {
      type: 'FeatureCollection',
      features: [feature('S-g', [2.37, 43.21, 110], { model: 'PIR-3' })],
    };
    expect((await t.call('POST', '/sensors/import', 'tech', body)).status).toBe(200);
    expect(t.sensors.imports[0]?.items).toEqual([
      { id: 'S-g', lat: 43.21, lon: 2.37, street: 'Rue Trivalle', zone: 'cite' },
    ]);
  });

  it('imports nothing when one sensor is bad, and names each bad field', async () => {
    const list = await t.call('POST', '/sensors/import', 'tech', [
      sensor('S-ok'),
      { ...sensor('S bad'), lat: 95 },
    ]);
    expect(list.status).toBe(422);
    expect(list.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/1/id', '/1/lat']);
    const collection = {
      type: 'FeatureCollection',
      features: [feature('S-ok', [2.37, 43.21]), feature('S-2', [200, 43])],
    };
    const geo = await t.call('POST', '/sensors/import', 'tech', collection);
    expect(geo.status).toBe(422);
    expect(geo.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual([
      '/features/1/geometry/coordinates/0',
    ]);
    expect(t.sensors.imports).toEqual([]);
    expect(t.audit).toEqual([]);
  });

  it('refuses two sensors with one id, and more sensors than one transaction holds', async () => {
    const twice = await t.call('POST', '/sensors/import', 'tech', [sensor('S-1'), sensor('S-1')]);
    expect(twice.status).toBe(422);
    expect(twice.body.errors).toEqual([{ pointer: '/1', detail: 'duplicate sensor id S-1' }]);
    const many = Array.from({ length: 100 }, (_, i) => sensor(`S-${i}`));
    expect((await t.call('POST', '/sensors/import', 'tech', many)).status).toBe(422);
    expect(t.sensors.imports).toEqual([]);
  });

  it('refuses a zone-limited technician sensors of another zone, or moving one of theirs out of it', async () => {
    expect((await t.call('POST', '/sensors/import', 'citeTech', [sensor('S-b', 'bastide')])).status).toBe(
      403,
    );
    expect(
      (await t.call('POST', '/sensors/import', 'citeTech', [sensor('S-cite-1', 'bastide')])).status,
    ).toBe(403);
    expect(t.sensors.imports).toEqual([]);
  });

  it('previews with dryRun=true without storing or auditing, and keeps finance out', async () => {
    const preview = await t.call('POST', '/sensors/import?dryRun=true', 'tech', [sensor('S-new')]);
    expect(preview.body).toEqual({ dryRun: true, action: 'sensors.import', created: 1, replaced: 0 });
    expect(t.sensors.imports).toEqual([]);
    expect((await t.call('POST', '/sensors/import', 'finance', [sensor('S-new')])).status).toBe(403);
    expect((await t.call('GET', '/sensors', 'finance')).status).toBe(403);
  });
});
