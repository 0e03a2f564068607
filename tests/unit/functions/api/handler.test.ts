import { beforeEach, describe, expect, it } from 'vitest';
import { apiHarness } from './api-harness.ts';

const dimmer = {
  on: { event: 'sunset', offsetMinutes: 10 },
  off: { event: 'sunrise', offsetMinutes: -10 },
  steps: [{ at: '22:00', level: 50 }],
};

let t: ReturnType<typeof apiHarness>;
beforeEach(() => {
  t = apiHarness();
});

describe('profile changes', () => {
  it('stores the profile with an audit entry and pushes only the luminaires whose rules use it', async () => {
    const result = await t.edit('PUT', '/profiles/residential', 'tech', dimmer);
    expect(result.status).toBe(200);
    expect(t.config().profiles.residential?.steps).toEqual([{ at: '22:00', level: 50 }]);
    expect(t.audit).toEqual([
      expect.objectContaining({
        actor: 'theo',
        action: 'profile.put',
        target: 'profile residential',
        after: expect.objectContaining({ steps: [{ at: '22:00', level: 50 }] }),
      }),
    ]);
    // The "default" rule selects every luminaire, though the higher-priority cite rule wins in zone cite.
    expect(t.pushed).toEqual([['L-0000', 'L-0001', 'L-0002', 'L-0003', 'L-0004', 'L-0005']]);
    expect(result.body.preview.changed).toBe(3);
    expect(result.body.preview.luminaires.map((l: { zone: string }) => l.zone)).toEqual([
      'bastide',
      'bastide',
      'bastide',
    ]);
  });

  it('previews with dryRun=true without storing, auditing or pushing', async () => {
    const result = await t.edit('PUT', '/profiles/residential?dryRun=true', 'tech', dimmer);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      dryRun: true,
      preview: { night: '2026-06-21', affected: 6, changed: 3 },
    });
    const [first] = result.body.preview.luminaires;
    expect(first.before.transitions.map((s: { level: number }) => s.level)).toEqual([100, 70, 0]);
    expect(first.after.transitions.map((s: { level: number }) => s.level)).toEqual([100, 50, 0]);
    expect(t.config().profiles.residential?.steps).toEqual([{ at: '22:30', level: 70 }]);
    expect(t.audit).toEqual([]);
    expect(t.pushed).toEqual([]);
  });

  it('names every bad field of the body with a JSON pointer', async () => {
    const result = await t.edit('PUT', '/profiles/residential', 'tech', {
      ...dimmer,
      steps: [{ at: '22:00', level: 150 }],
    });
    expect(result.status).toBe(422);
    expect(result.headers['content-type']).toBe('application/problem+json');
    expect(result.body.errors).toEqual([{ pointer: '/steps/0/level', detail: 'level must be 0..100' }]);
  });

  it('refuses to delete a profile a rule still uses (409, naming the rule)', async () => {
    const result = await t.edit('DELETE', '/profiles/cite', 'tech');
    expect(result.status).toBe(409);
    expect(result.body.errors[0].pointer).toMatch(/^\/calendar\/1/);
    expect(t.audit).toEqual([]);
  });

  it('answers 404 for deleting what does not exist', async () => {
    expect((await t.edit('DELETE', '/profiles/nope', 'tech')).status).toBe(404);
  });

  it('keeps finance away from schedules', async () => {
    expect((await t.edit('PUT', '/profiles/residential', 'finance', dimmer)).status).toBe(403);
    expect((await t.call('GET', '/profiles', 'finance')).status).toBe(403);
  });

  it('refuses a zone-limited technician a profile used in other zones', async () => {
    const result = await t.edit('PUT', '/profiles/residential', 'citeTech', dimmer);
    expect(result.status).toBe(403);
    expect(result.body.detail).toContain('bastide');
  });
});

describe('zone-limited technician', () => {
  it('may change a rule of their own zone', async () => {
    const result = await t.edit('PUT', '/calendar/rules/cite', 'citeTech', {
      profile: 'residential',
      zones: ['cite'],
      priority: 10,
    });
    expect(result.status).toBe(200);
    expect(t.pushed).toEqual([['L-0001', 'L-0003', 'L-0005']]);
  });

  it('may not add a rule reaching another zone, nor one that names no zone', async () => {
    const other = await t.edit('PUT', '/calendar/rules/b', 'citeTech', {
      profile: 'cite',
      zones: ['bastide'],
      priority: 20,
    });
    expect(other.status).toBe(403);
    const everywhere = await t.edit('PUT', '/calendar/rules/s', 'citeTech', {
      profile: 'cite',
      streets: ['Rue Trivalle'],
      priority: 20,
    });
    expect(everywhere.status).toBe(403);
    expect(everywhere.body.detail).toContain('reaches every zone');
    expect(t.audit).toEqual([]);
  });

  it('may post an override on its zone; the server names it', async () => {
    const result = await t.call('POST', '/overrides', 'citeTech', {
      target: { zones: ['cite'] },
      level: 100,
      from: '2026-06-21T20:00:00+02:00',
      until: '2026-06-22T02:00:00+02:00',
      reason: 'Fête de la musique',
    });
    expect(result.status).toBe(201);
    expect(t.config().overrides.map((o) => o.id)).toEqual(['override-id-1']);
    expect((await t.call('GET', '/overrides', 'citeTech')).body).toHaveLength(1);
  });

  it('may not post an override for the whole site', async () => {
    const result = await t.call('POST', '/overrides', 'citeTech', {
      id: 'storm',
      target: { all: true },
      level: 100,
      from: '2026-06-21T20:00:00+02:00',
      until: '2026-06-22T02:00:00+02:00',
      reason: 'storm',
    });
    expect(result.status).toBe(403);
  });
});

describe('calendar rules', () => {
  it('refuses a body id that differs from the path', async () => {
    const result = await t.edit('PUT', '/calendar/rules/a', 'admin', { id: 'b', profile: 'cite' });
    expect(result.status).toBe(422);
    expect(result.body.errors).toEqual([{ pointer: '/id', detail: 'expected "a" or no id' }]);
  });

  it('refuses a rule with an unknown profile, naming the field', async () => {
    const result = await t.edit('PUT', '/calendar/rules/x', 'admin', {
      profile: 'nope',
      zones: ['cite'],
      priority: 5,
    });
    expect(result.status).toBe(422);
    expect(result.body.errors[0].pointer).toMatch(/^\/calendar\/2\/profile$/);
  });
});

describe('luminaire import', () => {
  const csv = (rows: string[]) =>
    ['id,lat,lon,street,zone,ledWatts,baselineWatts,minLevel', ...rows].join('\n');

  it('imports nothing when one row is bad, and names the row and column', async () => {
    const body = csv(['N-1,43.2,2.35,Rue A,cite,30,100,0', 'N-2,95,2.35,Rue A,cite,30,100,0']);
    const result = await t.call('POST', '/luminaires/import', 'tech', body, 'text/csv');
    expect(result.status).toBe(422);
    expect(result.body.errors).toEqual([
      { name: expect.stringContaining('row 3'), detail: expect.stringContaining('latitude') },
    ]);
    expect(await t.luminaires.get(['N-1'])).toEqual([]);
  });

  it('stores, audits and pushes the imported luminaires', async () => {
    const body = csv(['N-1,43.2,2.35,Rue A,cite,30,100,0']);
    const result = await t.call('POST', '/luminaires/import', 'citeTech', body, 'text/csv');
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ created: 1, replaced: 0, preview: { changed: 1 } });
    expect(await t.luminaires.get(['N-1'])).toHaveLength(1);
    expect(t.pushed).toEqual([['N-1']]);
    expect(t.audit).toEqual([
      expect.objectContaining({
        action: 'luminaires.import.chunk',
        actor: 'camille',
        after: [expect.anything()],
      }),
      expect.objectContaining({ action: 'luminaires.import', actor: 'camille', id: result.body.auditId }),
    ]);
  });

  it('refuses a zone-limited technician luminaires of another zone', async () => {
    const body = csv(['N-1,43.2,2.35,Rue A,bastide,30,100,0']);
    expect((await t.call('POST', '/luminaires/import', 'citeTech', body, 'text/csv')).status).toBe(403);
  });

  it('wants a known media type', async () => {
    expect((await t.call('POST', '/luminaires/import', 'tech', 'x', 'application/xml')).status).toBe(415);
  });
});

describe('luminaires', () => {
  it('lists a zone in pages', async () => {
    const first = await t.call('GET', '/luminaires?zone=cite&limit=2', 'tech');
    expect(first.body.items.map((l: { id: string }) => l.id)).toEqual(['L-0001', 'L-0003']);
    const second = await t.call('GET', `/luminaires?zone=cite&limit=2&after=${first.body.next}`, 'tech');
    expect(second.body).toEqual({ items: [expect.objectContaining({ id: 'L-0005' })] });
  });

  it("returns one luminaire's plan for a night in local time", async () => {
    const result = await t.call('GET', '/luminaires/L-0000/plan?night=2026-06-21', 'tech');
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ id: 'L-0000', night: '2026-06-21', profile: 'residential' });
    expect(result.body.transitions[1]).toEqual({ at: '2026-06-21T22:30:00+02:00', level: 70 });
  });

  it("names the calendar rule that chose a luminaire's profile and the overrides acting on it", async () => {
    const override = {
      target: { zones: ['cite'] },
      level: 20,
      from: '2026-06-21T23:00:00+02:00',
      until: '2026-06-22T01:00:00+02:00',
      reason: 'concert',
    };
    expect((await t.call('POST', '/overrides', 'tech', { id: 'concert', ...override })).status).toBe(201);
    const inCite = await t.call('GET', '/luminaires/L-0001/plan?night=2026-06-21', 'tech');
    expect(inCite.body).toMatchObject({ rule: 'cite', profile: 'cite', overrides: ['concert'] });
    const inBastide = await t.call('GET', '/luminaires/L-0000/plan?night=2026-06-21', 'tech');
    expect(inBastide.body).toMatchObject({ rule: 'default', profile: 'residential', overrides: [] });
  });

  it('answers 429 with Retry-After when the shadow service throttles', async () => {
    const result = await t.call('GET', '/luminaires/L-0000/state', 'tech');
    expect(result.status).toBe(429);
    expect(result.headers['retry-after']).toBe('1');
  });
});

describe('savings report', () => {
  it('is readable by finance, grouped by zone: every zone, complete nights apart from silent ones', async () => {
    const bracketing = { night: '2026-06-21', wh: 100, burnH: 8, reports: 3, firstTs: 0, lastTs: 4e9 };
    const withNights = apiHarness({
      luminaireNights: async (id) => (id === 'L-0001' ? [bracketing] : []),
    });
    const report = await withNights.call(
      'GET',
      '/reports/savings?from=2026-06-21&to=2026-06-21&groupBy=zone&format=json',
      'finance',
    );
    expect(report.status).toBe(200);
    expect(report.body.groups).toEqual([
      expect.objectContaining({ key: 'bastide', luminaires: 3, silentLuminaireNights: 3, meteredKwh: 0 }),
      expect.objectContaining({
        key: 'cite',
        luminaires: 3,
        completeLuminaireNights: 1,
        silentLuminaireNights: 2,
        meteredKwh: 0.1,
      }),
    ]);
  });

  it('is refused to technicians', async () => {
    expect((await t.call('GET', '/reports/savings?from=2026-06-21&to=2026-06-21', 'tech')).status).toBe(403);
  });

  it('names a bad period', async () => {
    const result = await t.call('GET', '/reports/savings?from=2026-06-22&to=2026-06-21', 'finance');
    expect(result.status).toBe(400);
    expect(result.body.errors).toEqual([{ name: 'from', detail: 'from must not be after to' }]);
  });
});

describe('audit log', () => {
  it('lists changes newest first with who, what, before and after', async () => {
    await t.edit('PUT', '/profiles/residential', 'tech', dimmer);
    const result = await t.call('GET', '/audit', 'admin');
    expect(result.body.items).toEqual([
      expect.objectContaining({
        actor: 'theo',
        action: 'profile.put',
        before: expect.objectContaining({ steps: [{ at: '22:30', level: 70 }] }),
      }),
    ]);
  });
});
