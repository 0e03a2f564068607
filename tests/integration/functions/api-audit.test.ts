import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twoRuleConfig } from '#tests/support/functions/api/fixtures.ts';
import { testLuminaires } from '#tests/support/functions/shared/fixtures.ts';
import { uniqueName } from '../local-clients.ts';
import { localApi } from './api-site.ts';

const NOW = Date.parse('2026-06-21T11:00:00Z') / 1000;
const profile = (level: number) =>
  JSON.stringify({ on: { event: 'sunset' }, off: { event: 'sunrise' }, onLevel: level });

let api: Awaited<ReturnType<typeof localApi>>;
let technician: string;

beforeAll(async () => {
  api = await localApi(twoRuleConfig(), testLuminaires(2, uniqueName('C')), NOW);
  technician = await api.token(['technician']);
  for (const name of ['first', 'second', 'third']) {
    expect((await api.request('PUT', `/profiles/${name}`, technician, profile(50))).status).toBe(200);
  }
});
afterAll(() => api.stop());

describe('audit log over the API', () => {
  it('pages with the cursor it returns until no next is given', async () => {
    const targets = (page: { items: { target: string }[] }) => page.items.map((entry) => entry.target);
    const first = (await api.request('GET', '/audit?limit=2', technician)).json;
    expect(first.items).toHaveLength(2);
    expect(first.next).toMatch(/^[A-Za-z0-9_-]+$/);

    const query = `from=${first.from}&to=${first.to}&limit=2&cursor=${first.next}`;
    const second = (await api.request('GET', `/audit?${query}`, technician)).json;
    expect(second.next).toBeUndefined();
    // The three changes share one clock second: the order among them is the ids', each appears once.
    expect([...targets(first), ...targets(second)].sort()).toEqual([
      'profile first',
      'profile second',
      'profile third',
    ]);
  });

  it('refuses a cursor sent with a range it does not belong to', async () => {
    const { next } = (await api.request('GET', '/audit?limit=1', technician)).json;
    const result = await api.request('GET', `/audit?to=2026-05-01T00:00:00Z&cursor=${next}`, technician);
    expect(result.status).toBe(400);
    expect(result.json.errors).toEqual([{ name: 'cursor', detail: expect.stringContaining('outside') }]);
  });
});
