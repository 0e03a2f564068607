import { describe, expect, it } from 'vitest';
import { apiHarness, NOW } from './api-harness.ts';

const override = (id: string, from: string, until: string) => ({
  id,
  target: { zones: ['cite'] },
  level: 100,
  from,
  until,
  reason: 'works',
});
const nowIso = new Date(NOW * 1000).toISOString();

async function withOverride(from: string, until: string) {
  const t = apiHarness();
  expect((await t.call('POST', '/overrides', 'tech', override('works', from, until))).status).toBe(201);
  t.audit.splice(0);
  t.pushed.splice(0);
  return t;
}

describe('DELETE of an override that has started', () => {
  it('ends it now: until becomes the server time, audited as override.end with before and after', async () => {
    const t = await withOverride('2026-06-21T10:00:00Z', '2026-06-22T04:00:00Z');
    const result = await t.edit('DELETE', '/overrides/works', 'tech');
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ action: 'override.end', target: 'override works' });
    expect(t.config().overrides).toEqual([override('works', '2026-06-21T10:00:00Z', nowIso)]);
    expect(t.audit).toEqual([
      expect.objectContaining({
        action: 'override.end',
        before: override('works', '2026-06-21T10:00:00Z', '2026-06-22T04:00:00Z'),
        after: override('works', '2026-06-21T10:00:00Z', nowIso),
      }),
    ]);
    const cite = (await t.luminaires.listZone('cite')).map((luminaire) => luminaire.id);
    expect(t.pushed.flat().sort()).toEqual(cite.sort());
  });

  it('keeps it listable with ?all=true, not in the default list', async () => {
    const t = await withOverride('2026-06-21T10:00:00Z', '2026-06-22T04:00:00Z');
    await t.edit('DELETE', '/overrides/works', 'tech');
    expect((await t.call('GET', '/overrides', 'tech')).body).toEqual([]);
    expect((await t.call('GET', '/overrides?all=true', 'tech')).body).toHaveLength(1);
  });

  it('needs If-Match like any change of an existing item', async () => {
    const t = await withOverride('2026-06-21T10:00:00Z', '2026-06-22T04:00:00Z');
    expect((await t.call('DELETE', '/overrides/works', 'tech')).status).toBe(428);
    expect(t.config().overrides[0]?.until).toBe('2026-06-22T04:00:00Z');
  });
});

describe('DELETE of an override', () => {
  it('not started yet removes it (it never acted), audited as override.delete', async () => {
    const t = await withOverride('2026-06-21T20:00:00Z', '2026-06-22T04:00:00Z');
    const result = await t.edit('DELETE', '/overrides/works', 'tech');
    expect(result.status).toBe(200);
    expect(t.config().overrides).toEqual([]);
    expect(t.audit).toEqual([expect.objectContaining({ action: 'override.delete', after: null })]);
  });

  it('already over is refused with 409 and changes nothing', async () => {
    const t = await withOverride('2026-06-20T20:00:00Z', '2026-06-21T04:00:00Z');
    const result = await t.edit('DELETE', '/overrides/works', 'tech');
    expect(result.status).toBe(409);
    expect(result.body.detail).toContain('already ended');
    expect(t.config().overrides).toHaveLength(1);
    expect(t.audit).toEqual([]);
  });
});
