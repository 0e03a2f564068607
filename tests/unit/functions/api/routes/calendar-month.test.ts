import { describe, expect, it } from 'vitest';
import { apiHarness } from '../api-harness.ts';

describe('GET /calendar/month', () => {
  it("answers every night of the month with the zones the config names and the other zones' rule", async () => {
    const result = await apiHarness().call('GET', '/calendar/month?month=2026-07', 'tech');
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ month: '2026-07', timezone: 'Europe/Paris' });
    expect(result.body.nights).toHaveLength(31);
    expect(result.body.nights[13]).toEqual({
      night: '2026-07-14',
      weekday: 'tue',
      holidays: ['nationalDay'],
      zones: { cite: { rule: 'cite', profile: 'cite', exceptions: [], overrides: [] } },
      otherZones: { rule: 'default', profile: 'residential', exceptions: [], overrides: [] },
    });
  });

  it('answers the zones asked for, a comma-separated list', async () => {
    const result = await apiHarness().call('GET', '/calendar/month?month=2026-12&zone=bastide,cite', 'admin');
    expect(result.status).toBe(200);
    expect(result.body.nights[24].zones).toEqual({
      bastide: { rule: 'default', profile: 'residential', exceptions: [], overrides: [] },
      cite: { rule: 'cite', profile: 'cite', exceptions: [], overrides: [] },
    });
  });

  it('names the bad query parameter in a 400: a malformed month, a far year, a missing month, too many zones', async () => {
    const t = apiHarness();
    const errorsOf = async (query: string) => {
      const result = await t.call('GET', `/calendar/month${query}`, 'tech');
      expect(result.status).toBe(400);
      expect(result.headers['content-type']).toBe('application/problem+json');
      return result.body.errors;
    };
    expect(await errorsOf('?month=2026-13')).toEqual([
      { name: 'month', detail: 'expected a month "YYYY-MM"' },
    ]);
    expect(await errorsOf('?month=2026-7')).toEqual([
      { name: 'month', detail: 'expected a month "YYYY-MM"' },
    ]);
    expect(await errorsOf('?month=2150-01')).toEqual([
      { name: 'month', detail: 'expected a month of the years 2000 to 2099' },
    ]);
    expect(await errorsOf('')).toEqual([{ name: 'month', detail: 'required: a month "YYYY-MM"' }]);
    const zones = Array.from({ length: 51 }, (_, i) => `z${i}`).join(',');
    expect(await errorsOf(`?month=2026-07&zone=${zones}`)).toEqual([
      { name: 'zone', detail: 'at most 50 zones' },
    ]);
    expect(await errorsOf('?month=2026-07&zone=cite,,bastide')).toEqual([
      { name: 'zone.1', detail: 'a zone name must not be empty' },
    ]);
  });

  it('is refused to finance', async () => {
    const result = await apiHarness().call('GET', '/calendar/month?month=2026-07', 'finance');
    expect(result.status).toBe(403);
  });
});
