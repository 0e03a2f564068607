import { describe, expect, it } from 'vitest';
import { apiHarness } from '../api-harness.ts';

const override = (target: Record<string, unknown>) => ({
  target,
  level: 100,
  from: '2026-06-21T20:00:00Z',
  until: '2026-06-22T04:00:00Z',
  reason: 'works',
});

describe('a rule or override naming a place no luminaire is in', () => {
  it('is refused with 422 naming the zone in the body, and nothing is stored', async () => {
    const t = apiHarness();
    const before = t.config();
    const result = await t.call('PUT', '/calendar/rules/late', 'tech', {
      profile: 'cite',
      zones: ['cite', 'citee'],
      priority: 20,
    });
    expect(result.status).toBe(422);
    expect(result.body.errors).toEqual([
      { pointer: '/zones/1', detail: 'unknown zone "citee": no luminaire is in it' },
    ]);
    expect(t.config()).toBe(before);
    expect(t.audit).toEqual([]);
  });

  it('is refused when a street is not in the named zones of an override target', async () => {
    const t = apiHarness();
    const result = await t.call(
      'POST',
      '/overrides',
      'tech',
      override({ zones: ['cite'], streets: ['Rue Trivale'] }),
    );
    expect(result.status).toBe(422);
    expect(result.body.errors).toEqual([
      expect.objectContaining({
        pointer: '/target/streets/0',
        detail: expect.stringContaining('"Rue Trivale"'),
      }),
    ]);
    expect(t.config().overrides).toEqual([]);
  });

  it('is refused in a dry run too', async () => {
    const t = apiHarness();
    const result = await t.call('PUT', '/calendar/rules/late?dryRun=true', 'tech', {
      profile: 'cite',
      zones: ['nowhere'],
      priority: 20,
    });
    expect(result.status).toBe(422);
  });
});

describe('places the API does not check', () => {
  it('streets of a selector without zones (finding a street would read the whole inventory)', async () => {
    const t = apiHarness();
    const result = await t.call('PUT', '/calendar/rules/late', 'tech', {
      profile: 'cite',
      streets: ['Rue Inconnue'],
      priority: 20,
    });
    expect(result.status).toBe(200);
  });

  it('a site-wide override target', async () => {
    const t = apiHarness();
    expect((await t.call('POST', '/overrides', 'tech', override({ all: true }))).status).toBe(201);
  });
});

describe('a rule naming places the inventory has', () => {
  it('is stored', async () => {
    const t = apiHarness();
    const result = await t.call('PUT', '/calendar/rules/late', 'tech', {
      profile: 'cite',
      zones: ['cite'],
      streets: ['Rue Trivalle'],
      priority: 20,
    });
    expect(result.status).toBe(200);
  });
});
