import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationChanged, makeConfigChangeWriter } from '#functions/store/config-changes.ts';
import { parseConfig } from '#schedules/index.ts';
import { twoRuleConfig } from '#tests/support/functions/api/fixtures.ts';
import { testLuminaires } from '#tests/support/functions/shared/fixtures.ts';
import { uniqueName } from '../local-clients.ts';
import { localApi } from './api-site.ts';

const NOW = Date.parse('2026-06-21T11:00:00Z') / 1000;
const ROUNDS = 20;

let api: Awaited<ReturnType<typeof localApi>>;
let technician: string;

beforeAll(async () => {
  api = await localApi(twoRuleConfig(), testLuminaires(2, uniqueName('R')), NOW);
  technician = await api.token(['technician']);
});
afterAll(() => api.stop());

describe('two changes sent together on the local cloud', () => {
  it('never store a configuration that fails validation: exactly one of "delete P" and "add a rule using P" commits', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const profile = `p${round}`;
      const created = await api.request(
        'PUT',
        `/profiles/${profile}`,
        technician,
        JSON.stringify({ on: { event: 'sunset' }, off: { event: 'sunrise' } }),
      );
      expect(created.status).toBe(200);
      // A luminaire id the inventory lacks: the race is about the configuration, not the push.
      const rule = JSON.stringify({ profile, luminaires: ['nowhere'], priority: 100 + round });
      const [removed, added] = await Promise.all([
        api.edit('DELETE', `/profiles/${profile}`, technician),
        api.request('PUT', `/calendar/rules/r${round}`, technician, rule),
      ]);
      const statuses = [removed.status, added.status];
      expect(statuses.filter((status) => status < 300)).toHaveLength(1);
      expect(statuses.filter((status) => status >= 300).every((s) => s === 409 || s === 422)).toBe(true);

      const { config } = await api.stores.config.loadVersioned();
      expect(parseConfig(config, 'stored configuration').ok).toBe(true);
      expect(config.calendar.some((r) => r.id === `r${round}`)).toBe(added.status === 200);
      expect(profile in config.profiles).toBe(removed.status !== 200);
    }
  });
});

describe('two edits of the same profile sent together with the same If-Match on the local cloud', () => {
  it('store exactly one of them: the other is refused with 412 or 409', async () => {
    const profile = (level: number) =>
      JSON.stringify({ on: { event: 'sunset' }, off: { event: 'sunrise' }, onLevel: level });
    for (let round = 0; round < ROUNDS; round++) {
      const path = `/profiles/edited${round}`;
      expect((await api.request('PUT', path, technician, profile(100))).status).toBe(200);
      const etag = (await api.request('GET', path, technician)).headers.get('etag') ?? '';
      const ifMatch = { 'if-match': etag };
      const answers = await Promise.all(
        [60, 40].map((level) =>
          api.request('PUT', path, technician, profile(level), 'application/json', ifMatch),
        ),
      );
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status < 300)).toHaveLength(1);
      expect(statuses.filter((status) => status >= 300).every((s) => s === 412 || s === 409)).toBe(true);

      const winner = statuses[0] === 200 ? 60 : 40;
      const stored = await api.request('GET', path, technician);
      expect(stored.json.onLevel).toBe(winner);
      expect(stored.headers.get('etag')).toBe(answers[statuses[0] === 200 ? 0 : 1]?.headers.get('etag'));
    }
  });
});

describe('the configuration version on the local cloud', () => {
  it('moves on with a whole replace, so a change validated before it is refused', async () => {
    const { config, version } = await api.stores.config.loadVersioned();
    await api.stores.config.replace(config);
    expect((await api.stores.config.loadVersioned()).version).toBe(version + 1);
    const audit = {
      id: uniqueName('audit'),
      at: '2026-06-21T11:00:00.000Z',
      actor: 't',
      action: 'profile.delete',
      target: 'p',
      before: null,
      after: null,
    };
    await expect(
      makeConfigChangeWriter(api.table).commit({ kind: 'profile.delete', name: 'p0' }, audit, version),
    ).rejects.toBeInstanceOf(ConfigurationChanged);
  });
});
