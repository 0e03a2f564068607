import { describe, expect, it } from 'vitest';
import { etagOf } from '#functions/api/etag.ts';
import { apiHarness } from './api-harness.ts';

const dimmer = (level: number) => ({
  on: { event: 'sunset' },
  off: { event: 'sunrise' },
  steps: [{ at: '23:00', level }],
});
const ifMatch = (etag: string) => ({ 'if-match': etag });

describe('an item GET', () => {
  it('carries the ETag of the item it returns; a list carries none and keeps its shape', async () => {
    const t = apiHarness();
    const item = await t.call('GET', '/profiles/residential', 'tech');
    expect(item.headers.etag).toBe(etagOf(item.body));
    const list = await t.call('GET', '/profiles', 'tech');
    expect(list.headers.etag).toBeUndefined();
    expect(Object.keys(list.body)).toEqual(['residential', 'cite']);
  });
});

describe('changing an existing item', () => {
  it.each([
    ['PUT', '/profiles/residential', dimmer(50)],
    ['PUT', '/calendar/rules/cite', { profile: 'cite', zones: ['cite'], priority: 20 }],
    ['DELETE', '/calendar/rules/cite', undefined],
  ] as const)(
    '%s %s without If-Match is refused with 428 and changes nothing',
    async (method, path, body) => {
      const t = apiHarness();
      const before = t.config();
      const result = await t.call(method, path, 'tech', body);
      expect(result.status).toBe(428);
      expect(result.body).toMatchObject({ type: 'urn:lumen-city:problem:precondition-required' });
      expect(result.body.errors).toEqual([expect.objectContaining({ name: 'If-Match' })]);
      expect(t.config()).toBe(before);
      expect(t.audit).toEqual([]);
    },
  );

  it('with a stale If-Match is refused with 412 carrying the current item and its ETag', async () => {
    const t = apiHarness();
    const read = await t.call('GET', '/profiles/residential', 'tech');
    const stale = String(read.headers.etag);
    expect(
      (await t.call('PUT', '/profiles/residential', 'tech', dimmer(50), undefined, ifMatch(stale))).status,
    ).toBe(200);
    const late = await t.call('PUT', '/profiles/residential', 'tech', dimmer(40), undefined, ifMatch(stale));
    expect(late.status).toBe(412);
    expect(late.body).toMatchObject({
      type: 'urn:lumen-city:problem:precondition-failed',
      status: 412,
      current: t.config().profiles.residential,
      etag: etagOf(t.config().profiles.residential),
    });
    expect(t.config().profiles.residential?.steps).toEqual([{ at: '23:00', level: 50 }]);
    expect(t.audit).toHaveLength(1);
  });

  it('with the ETag of the current version is stored, and the answer carries the new ETag of a later GET', async () => {
    const t = apiHarness();
    const etag = String((await t.call('GET', '/calendar/rules/cite', 'tech')).headers.etag);
    const rule = { profile: 'cite', zones: ['cite'], priority: 20 };
    const result = await t.call('PUT', '/calendar/rules/cite', 'tech', rule, undefined, ifMatch(etag));
    expect(result.status).toBe(200);
    const read = await t.call('GET', '/calendar/rules/cite', 'tech');
    expect(result.headers.etag).toBe(read.headers.etag);
    expect(result.headers.etag).not.toBe(etag);
  });

  it('checks If-Match in a dry run too, and a dry run answers without an ETag', async () => {
    const t = apiHarness();
    expect((await t.call('PUT', '/profiles/residential?dryRun=true', 'tech', dimmer(50))).status).toBe(428);
    const dry = await t.edit('PUT', '/profiles/residential?dryRun=true', 'tech', dimmer(50));
    expect(dry.status).toBe(200);
    expect(dry.headers.etag).toBeUndefined();
  });

  it('accepts If-Match listing several ETags when one is current', async () => {
    const t = apiHarness();
    const etag = String((await t.call('GET', '/profiles/cite', 'tech')).headers.etag);
    const result = await t.call(
      'PUT',
      '/profiles/cite',
      'tech',
      dimmer(60),
      undefined,
      ifMatch(`"0000000000000000", ${etag}`),
    );
    expect(result.status).toBe(200);
  });
});

describe('creating an item with PUT', () => {
  it('needs no precondition header, and answers with the ETag of the new item', async () => {
    const t = apiHarness();
    const result = await t.call('PUT', '/profiles/festival', 'tech', dimmer(80));
    expect(result.status).toBe(200);
    expect(result.headers.etag).toBe((await t.call('GET', '/profiles/festival', 'tech')).headers.etag);
  });

  it('with If-None-Match: * creates a new item but refuses (412) to replace an existing one', async () => {
    const t = apiHarness();
    const create = { 'if-none-match': '*' };
    expect((await t.call('PUT', '/profiles/festival', 'tech', dimmer(80), undefined, create)).status).toBe(
      200,
    );
    const again = await t.call('PUT', '/profiles/festival', 'tech', dimmer(70), undefined, create);
    expect(again.status).toBe(412);
    expect(again.body.current).toEqual(t.config().profiles.festival);
    expect(t.config().profiles.festival?.steps).toEqual([{ at: '23:00', level: 80 }]);
  });

  it('with If-Match is refused (412): the item the client read no longer exists', async () => {
    const t = apiHarness();
    const result = await t.call(
      'PUT',
      '/profiles/gone',
      'tech',
      dimmer(80),
      undefined,
      ifMatch('"0123456789abcdef"'),
    );
    expect(result.status).toBe(412);
    expect('gone' in t.config().profiles).toBe(false);
  });
});

describe('posting an override', () => {
  it('needs no If-Match', async () => {
    const t = apiHarness();
    const result = await t.call('POST', '/overrides', 'tech', {
      target: { all: true },
      level: 100,
      from: '2026-06-21T20:00:00Z',
      until: '2026-06-22T02:00:00Z',
      reason: 'storm',
    });
    expect(result.status).toBe(201);
  });
});
