import { describe, expect, it } from 'vitest';
import { etagOf } from '#functions/api/etag.ts';
import { apiHarness } from '../api-harness.ts';

interface EditableSettings {
  site: Record<string, unknown>;
  presence: Record<string, unknown>;
  planNights?: unknown;
  colour?: string;
}

/** The settings as GET answers them, with one field changed. */
async function edited(t: ReturnType<typeof apiHarness>, edit: (settings: EditableSettings) => void) {
  const read = await t.call('GET', '/settings', 'admin');
  const settings = structuredClone(read.body);
  edit(settings);
  return { settings, etag: read.headers.etag as string };
}

describe('GET /settings', () => {
  it('answers the site, the presence and alarm policies and planNights with their ETag', async () => {
    const t = apiHarness();
    const result = await t.call('GET', '/settings', 'tech');
    expect(result.status).toBe(200);
    const { site, presence, alarms, planNights } = t.config();
    expect(result.body).toEqual({ site, presence, alarms, planNights });
    expect(result.headers.etag).toBe(etagOf(result.body));
    expect(result.headers.etag).toMatch(/^"[0-9a-f]{16}"$/);
  });

  it('is refused to finance', async () => {
    expect((await apiHarness().call('GET', '/settings', 'finance')).status).toBe(403);
  });
});

describe('etagOf', () => {
  it('does not depend on the order of object keys', () => {
    expect(etagOf({ a: 1, b: { c: [1, { d: 2, e: 3 }] } })).toBe(
      etagOf({ b: { c: [1, { e: 3, d: 2 }] }, a: 1 }),
    );
    expect(etagOf({ a: 1 })).not.toBe(etagOf({ a: 2 }));
  });
});

describe('PUT /settings', () => {
  it('stores a new tariff as an audited settings.put, answers the new ETag and pushes nothing', async () => {
    const t = apiHarness();
    const { settings, etag } = await edited(t, (s) => {
      s.site.tariffEurPerKwh = 0.31;
    });
    const result = await t.call('PUT', '/settings', 'admin', settings, undefined, { 'if-match': etag });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ dryRun: false, action: 'settings.put', target: 'site settings' });
    expect(result.body.push).toBeUndefined();
    expect(t.config().site.tariffEurPerKwh).toBe(0.31);
    expect(result.headers.etag).toBe((await t.call('GET', '/settings', 'admin')).headers.etag);
    expect(result.headers.etag).not.toBe(etag);
    expect(t.audit.at(-1)).toMatchObject({
      action: 'settings.put',
      actor: 'ada',
      before: { site: { tariffEurPerKwh: expect.not.closeTo(0.31) } },
      after: { site: { tariffEurPerKwh: 0.31 } },
    });
    expect(t.pushed).toEqual([]);
    expect(t.queued).toEqual([]);
  });

  it('re-plans every luminaire when planNights changes, through the queue past the inline limit', async () => {
    const t = apiHarness({ inlinePushLimit: 2 });
    const { settings, etag } = await edited(t, (s) => {
      s.planNights = 4;
    });
    const result = await t.call('PUT', '/settings', 'admin', settings, undefined, { 'if-match': etag });
    expect(result.status).toBe(200);
    expect(t.config().planNights).toBe(4);
    expect(result.body.push.queued.luminaires).toBe(6);
    expect(t.queued.length).toBe(result.body.push.queued.shards);
    expect(t.queued.every((chunk) => chunk.night === '2026-06-21')).toBe(true);
  });

  it('keeps the time zone and position when they are left out', async () => {
    const t = apiHarness();
    const before = t.config().site;
    const { settings, etag } = await edited(t, (s) => {
      delete s.site.timezone;
      delete s.site.latitude;
      delete s.site.longitude;
      s.site.name = 'Carcassonne';
    });
    expect(
      (await t.call('PUT', '/settings', 'admin', settings, undefined, { 'if-match': etag })).status,
    ).toBe(200);
    expect(t.config().site).toEqual({ ...before, name: 'Carcassonne' });
  });

  it("keeps the zones' facts when the body leaves them out, and takes them when it gives them", async () => {
    const t = apiHarness();
    const zones = { cite: { inBuiltUpArea: true, commune: 'Carcassonne' } };
    const first = await edited(t, (s) => {
      s.site.zones = zones;
    });
    await t.call('PUT', '/settings', 'admin', first.settings, undefined, { 'if-match': first.etag });
    expect(t.config().site.zones).toEqual(zones);
    const second = await edited(t, (s) => {
      delete s.site.zones;
      s.site.name = 'Carcassonne Agglo';
    });
    expect(
      (await t.call('PUT', '/settings', 'admin', second.settings, undefined, { 'if-match': second.etag }))
        .status,
    ).toBe(200);
    expect(t.config().site).toMatchObject({ name: 'Carcassonne Agglo', zones });
  });

  it('previews a dry run without storing, auditing or answering an ETag', async () => {
    const t = apiHarness();
    const { settings, etag } = await edited(t, (s) => {
      s.planNights = 3;
    });
    const result = await t.call('PUT', '/settings?dryRun=true', 'admin', settings, undefined, {
      'if-match': etag,
    });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ dryRun: true, action: 'settings.put' });
    expect(result.body.preview.affected).toBe(6);
    expect(result.headers.etag).toBeUndefined();
    expect(t.config().planNights).not.toBe(3);
    expect(t.audit).toEqual([]);
    expect(t.pushed).toEqual([]);
  });

  it('needs If-Match (428) and refuses a stale one (412) with the current settings and their ETag', async () => {
    const t = apiHarness();
    const { settings, etag } = await edited(t, (s) => {
      s.site.co2KgPerKwh = 0.05;
    });
    const missing = await t.call('PUT', '/settings', 'admin', settings);
    expect(missing.status).toBe(428);
    expect(missing.body.type).toBe('urn:lumen-city:problem:precondition-required');

    const first = await t.call('PUT', '/settings', 'admin', settings, undefined, { 'if-match': etag });
    expect(first.status).toBe(200);
    const second = await t.call('PUT', '/settings', 'admin', settings, undefined, { 'if-match': etag });
    expect(second.status).toBe(412);
    expect(second.body).toMatchObject({
      type: 'urn:lumen-city:problem:precondition-failed',
      etag: first.headers.etag,
      current: { site: { co2KgPerKwh: 0.05 } },
    });
    const created = await t.call('PUT', '/settings', 'admin', settings, undefined, { 'if-none-match': '*' });
    expect(created.status).toBe(412);
    expect(t.audit).toHaveLength(1);
  });

  it('refuses a new time zone, naming the field, and stores nothing', async () => {
    const t = apiHarness();
    const { settings, etag } = await edited(t, (s) => {
      s.site.timezone = 'America/New_York';
    });
    const result = await t.call('PUT', '/settings', 'admin', settings, undefined, { 'if-match': etag });
    expect(result.status).toBe(422);
    expect(result.body.errors).toEqual([
      { pointer: '/site/timezone', detail: expect.stringContaining('Europe/Paris') },
    ]);
    expect(t.audit).toEqual([]);
  });

  it('names every bad field in a 422: out-of-range tariff, unknown field, missing planNights', async () => {
    const t = apiHarness();
    const { settings, etag } = await edited(t, (s) => {
      s.site.tariffEurPerKwh = -1;
      s.presence.radiusMeters = 'far';
      s.colour = 'blue';
      delete s.planNights;
    });
    const result = await t.call('PUT', '/settings', 'admin', settings, undefined, { 'if-match': etag });
    expect(result.status).toBe(422);
    const pointers = result.body.errors.map((e: { pointer: string }) => e.pointer).sort();
    expect(pointers).toEqual(['', '/planNights', '/presence/radiusMeters', '/site/tariffEurPerKwh']);
    expect(t.audit).toEqual([]);
  });

  it('is for admins only: a technician is refused (403)', async () => {
    const t = apiHarness();
    const { settings, etag } = await edited(t, () => {});
    const result = await t.call('PUT', '/settings', 'tech', settings, undefined, { 'if-match': etag });
    expect(result.status).toBe(403);
  });
});
