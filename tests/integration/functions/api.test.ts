import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardOf, siteKeys } from '#functions/store/keys.ts';
import { toGeoJson } from '#schedules/inventory/index.ts';
import { twoRuleConfig } from '#tests/support/functions/api/fixtures.ts';
import { testLuminaires } from '#tests/support/functions/shared/fixtures.ts';
import { uniqueName } from '../local-clients.ts';
import { localApi } from './api-site.ts';

/** 2026-06-21 13:00 Paris: the coming night is the night of 2026-06-21. */
const NOW = Date.parse('2026-06-21T11:00:00Z') / 1000;

const config = twoRuleConfig();
// Zones alternate: even indexes in bastide, odd in cite.
const luminaires = testLuminaires(6, uniqueName('A'));
const cite = luminaires.filter((l) => l.zone === 'cite').map((l) => l.thingName);
/** A profile body: full light from sunset, 40 % from 23:00. */
const dimmedAt23 = JSON.stringify({
  on: { event: 'sunset' },
  off: { event: 'sunrise' },
  steps: [{ at: '23:00', level: 40 }],
});

let api: Awaited<ReturnType<typeof localApi>>;
let technician: string;
let citeTechnician: string;
let finance: string;

beforeAll(async () => {
  api = await localApi(config, luminaires, NOW);
  await api.pusher.pushLuminaires(
    luminaires.map((l) => l.id),
    'initial',
  );
  [technician, citeTechnician, finance] = await Promise.all([
    api.token(['technician']),
    api.token(['technician'], ['cite']),
    api.token(['finance']),
  ]);
});
afterAll(() => api.stop());

describe('technician API on the local cloud', () => {
  it('refuses an expired token and a request without one', async () => {
    expect((await api.request('GET', '/profiles', await api.expiredToken())).status).toBe(401);
    expect((await api.request('GET', '/profiles', '')).status).toBe(401);
  });

  it('previews a profile change without storing, auditing or pushing anything', async () => {
    api.clearUpdates();
    const preview = await api.edit('PUT', '/profiles/cite?dryRun=true', technician, dimmedAt23);
    expect(preview.status).toBe(200);
    expect(preview.json).toMatchObject({ dryRun: true, preview: { affected: 3, changed: 3 } });
    expect((await api.request('GET', '/profiles/cite', technician)).json).toEqual(config.profiles.cite);
    expect((await api.request('GET', '/audit', technician)).json.items).toEqual([]);
    expect(api.updated).toEqual([]);
  });

  it('stores a profile change with its audit entry and updates only the affected shadows', async () => {
    api.clearUpdates();
    const result = await api.edit('PUT', '/profiles/cite', technician, dimmedAt23);
    expect(result.status).toBe(200);
    expect(result.json.push).toMatchObject({ planned: 3, pushed: 3, failed: 0 });
    expect(api.updated.sort()).toEqual([...cite].sort());

    const audit = (await api.request('GET', '/audit', technician)).json.items;
    expect(audit).toEqual([
      expect.objectContaining({
        actor: 'technician',
        action: 'profile.put',
        target: 'profile cite',
        before: config.profiles.cite,
        after: expect.objectContaining({ steps: [{ at: '23:00', level: 40 }] }),
      }),
    ]);
    const plan = await api.request(
      'GET',
      `/luminaires/${luminaires[1]?.id}/plan?night=2026-06-21`,
      technician,
    );
    expect(plan.json.transitions.map((t: { level: number }) => t.level)).toEqual([100, 40, 0]);
  });

  it('refuses a zone-limited technician a rule outside their zone, and stores nothing', async () => {
    const before = (await api.request('GET', '/calendar/rules/default', technician)).json;
    const body = JSON.stringify({ profile: 'cite', priority: 0 });
    const result = await api.request('PUT', '/calendar/rules/default', citeTechnician, body);
    expect(result.status).toBe(403);
    expect(result.type).toBe('application/problem+json');
    expect((await api.request('GET', '/calendar/rules/default', technician)).json).toEqual(before);
  });

  it('ends a started override now: kept with until = now, audited, its zone re-pushed', async () => {
    const posted = await api.request(
      'POST',
      '/overrides',
      technician,
      JSON.stringify({
        target: { zones: ['cite'] },
        level: 100,
        from: '2026-06-21T10:00:00Z',
        until: '2026-06-22T04:00:00Z',
        reason: 'roadworks',
      }),
    );
    expect(posted.status).toBe(201);
    const id = posted.json.target.replace('override ', '');
    api.clearUpdates();
    const ended = await api.edit('DELETE', `/overrides/${id}`, technician);
    expect(ended.status).toBe(200);
    expect(ended.json).toMatchObject({ action: 'override.end' });
    expect((await api.request('GET', `/overrides/${id}`, technician)).json.until).toBe(
      '2026-06-21T11:00:00.000Z',
    );
    expect((await api.request('GET', '/overrides', technician)).json).toEqual([]);
    expect((await api.request('GET', '/overrides?all=true', technician)).json).toHaveLength(1);
    expect((await api.request('GET', '/audit?limit=1', technician)).json.items[0]).toMatchObject({
      action: 'override.end',
      before: expect.objectContaining({ until: '2026-06-22T04:00:00Z' }),
      after: expect.objectContaining({ until: '2026-06-21T11:00:00.000Z' }),
    });
    expect(api.updated.sort()).toEqual([...cite].sort());
    expect((await api.edit('DELETE', `/overrides/${id}`, technician)).status).toBe(409);
  });

  it('imports a GeoJSON inventory all or nothing, then pushes the new luminaires', async () => {
    const lamp = {
      usage: 'a',
      colourTemperatureK: 3000,
      fluxLm: 3200,
      upwardLightRatioPercent: 0,
      installedOn: '2022-05-10',
    } as const;
    const fresh = testLuminaires(2, uniqueName('N')).map((l, i) => ({
      ...l,
      zone: 'trebes',
      ...(i === 0 ? lamp : {}),
    }));
    const bad = toGeoJson(fresh);
    const badFeature = bad.features[1];
    if (badFeature === undefined) throw new Error('fixture');
    badFeature.properties = { ...badFeature.properties, ledWatts: -5 };
    const refused = await api.request(
      'POST',
      '/luminaires/import',
      technician,
      JSON.stringify(bad),
      'application/geo+json',
    );
    expect(refused.status).toBe(422);
    expect(refused.json.errors).toEqual([
      { pointer: '/features/1/properties/ledWatts', detail: expect.any(String) },
    ]);
    expect((await api.request('GET', '/luminaires?zone=trebes', technician)).json.items).toEqual([]);

    api.clearUpdates();
    const body = JSON.stringify(toGeoJson(fresh));
    const imported = await api.request(
      'POST',
      '/luminaires/import',
      technician,
      body,
      'application/geo+json',
    );
    expect(imported.status).toBe(200);
    expect(imported.json).toMatchObject({ created: 2, replaced: 0 });
    const listed = (await api.request('GET', '/luminaires?zone=trebes', technician)).json.items;
    expect(listed).toHaveLength(2);
    // The order's lamp fields are stored when given, and stay absent (an empty CSV cell) when not.
    expect(listed.find((l: { id: string }) => l.id === fresh[0]?.id)).toMatchObject(lamp);
    expect(listed.find((l: { id: string }) => l.id === fresh[1]?.id)).not.toHaveProperty('usage');
    const csv = (await api.request('GET', '/luminaires/export?format=csv&zone=trebes', technician)).text;
    expect(csv).toContain(',a,3000,3200,0,2022-05-10');
    expect(csv).not.toContain('undefined');
    expect(api.updated.sort()).toEqual(fresh.map((l) => l.thingName).sort());
    const state = await api.request('GET', `/luminaires/${fresh[0]?.id}/state`, technician);
    expect(state.json.plan.plan.h).toEqual(expect.any(String));
  });

  it('imports presence sensors with their audit entry in one write, and lists them', async () => {
    const ids = [uniqueName('S'), uniqueName('S')];
    const sensors = ids.map((id, i) => ({
      id,
      lat: 43.2068,
      lon: 2.3644 + i * 0.001,
      street: 'Rue Trivalle',
      zone: 'cite',
    }));
    const bad = await api.request(
      'POST',
      '/sensors/import',
      technician,
      JSON.stringify([...sensors, { id: 'x' }]),
    );
    expect(bad.status).toBe(422);
    expect((await api.request('GET', '/sensors', technician)).json.items).toEqual([]);

    const imported = await api.request('POST', '/sensors/import', citeTechnician, JSON.stringify(sensors));
    expect(imported.json).toMatchObject({ created: 2, replaced: 0 });
    expect((await api.request('GET', '/sensors?zone=cite', technician)).json.items).toEqual(
      [...sensors].sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
    const audit = (await api.request('GET', '/audit', technician)).json.items;
    expect(audit).toContainEqual(
      expect.objectContaining({ id: imported.json.auditId, action: 'sensors.import', after: sensors }),
    );
  });

  it("checks the light-nuisance order for a night, a zone-limited technician's zones only", async () => {
    const all = await api.request('GET', '/compliance?night=2026-06-21', technician);
    expect(all.status).toBe(200);
    expect(all.json.night).toBe('2026-06-21');
    expect(all.json.rules.map((r: { id: string }) => r.id)).toContain('colour-temperature');
    // The test inventory holds no usage: every category rule is named not checkable, never compliant.
    expect(all.json.findings).toContainEqual(
      expect.objectContaining({ rule: 'colour-temperature', status: 'not-checkable', missing: ['usage'] }),
    );
    const cite = await api.request('GET', '/compliance?night=2026-06-21', citeTechnician);
    const zones = new Set(cite.json.findings.map((f: { zone: string }) => f.zone));
    expect(zones).toEqual(new Set(['cite']));
  });

  it('lets finance read the savings report as CSV and HTML, and keeps technicians out', async () => {
    const keys = siteKeys('test');
    // One luminaire of each zone whose readings cover the whole night (from noon to noon).
    for (const [luminaire, wh] of [
      [luminaires[0], 400],
      [luminaires[1], 300],
    ] as const) {
      await api.table.db.send(
        new PutCommand({
          TableName: api.table.tableName,
          Item: {
            pk: keys.luminairePk(luminaire?.id ?? ''),
            sk: keys.luminaireDaySk('2026-06-20'),
            night: '2026-06-20',
            wh,
            burnH: 8,
            reports: 40,
            firstTs: Date.parse('2026-06-20T10:00:00Z') / 1000,
            lastTs: Date.parse('2026-06-21T09:59:00Z') / 1000,
          },
        }),
      );
    }
    const csv = await api.request(
      'GET',
      '/reports/savings?from=2026-06-20&to=2026-06-20&groupBy=zone&format=csv',
      finance,
    );
    expect(csv.status).toBe(200);
    expect(csv.type).toContain('text/csv');
    // The French style by default: what a French spreadsheet opens as columns.
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines.map((line) => line.split(';').slice(0, 2).join(';'))).toEqual([
      'group_by;group',
      'zone;bastide',
      'zone;cite',
      'zone;trebes', // imported above, no readings: shown, silent
      'total;',
    ]);
    const html = await api.request(
      'GET',
      '/reports/savings?from=2026-06-20&to=2026-06-20&format=html',
      finance,
    );
    expect(html.text).toContain('<svg');
    expect(
      (await api.request('GET', '/reports/savings?from=2026-06-20&to=2026-06-20', technician)).status,
    ).toBe(403);
  });
});

describe('a change reaching more luminaires than the API pushes in a request', () => {
  const fleet = testLuminaires(6, uniqueName('Q'));
  let queuing: Awaited<ReturnType<typeof localApi>>;
  beforeAll(async () => {
    queuing = await localApi(config, fleet, NOW, { inlinePushLimit: 2 });
    await queuing.pusher.pushLuminaires(
      fleet.map((l) => l.id),
      'initial',
    );
  });
  afterAll(() => queuing.stop());

  it('is queued by shard, and the chunks update only the shadows whose plan changed', async () => {
    queuing.clearUpdates();
    // Residential is every luminaire's profile but the cite rule wins in zone cite: 6 reached, 3 changed.
    const result = await queuing.edit(
      'PUT',
      '/profiles/residential',
      await queuing.token(['technician']),
      dimmedAt23,
    );
    expect(result.status).toBe(200);
    const shards = new Set(fleet.map((l) => shardOf(l.id)));
    expect(result.json.push).toEqual({ night: '2026-06-21', queued: { shards: shards.size, luminaires: 6 } });
    expect(new Set(queuing.queued.map((chunk) => chunk.shard))).toEqual(shards);
    expect(queuing.updated.sort()).toEqual(
      fleet
        .filter((l) => l.zone === 'bastide')
        .map((l) => l.thingName)
        .sort(),
    );
  });
});
