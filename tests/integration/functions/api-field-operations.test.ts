import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationChanged, makeConfigChangeWriter } from '#functions/store/config-changes.ts';
import { shardOf } from '#functions/store/index.ts';
import { siteKeys } from '#functions/store/keys.ts';
import { twoRuleConfig } from '#tests/support/functions/api/fixtures.ts';
import { testLuminaires } from '#tests/support/functions/shared/fixtures.ts';
import { uniqueName } from '../local-clients.ts';
import { localApi } from './api-site.ts';

const NOW = Date.parse('2026-06-21T11:00:00Z') / 1000;
const JUNE = { from: '2026-06-01T00:00:00.000Z', to: '2026-06-30T23:59:59.999Z', limit: 100 };

let api: Awaited<ReturnType<typeof localApi>>;
let admin: string;
let technician: string;
const luminaires = testLuminaires(4, uniqueName('F'));

beforeAll(async () => {
  // Every change goes through the plan-push queue, which api-site pushes at once.
  api = await localApi(twoRuleConfig(), luminaires, NOW, { inlinePushLimit: 0 });
  [admin, technician] = await Promise.all([api.token(['admin']), api.token(['technician'])]);
});
afterAll(() => api.stop());

async function readSettings() {
  const read = await api.request('GET', '/settings', admin);
  expect(read.status).toBe(200);
  return { settings: read.json, etag: read.headers.get('etag') ?? '' };
}

describe('site settings on the local cloud', () => {
  it('a new planNights commits one version, audited, and queues every shard holding a luminaire, which is pushed', async () => {
    const { version } = await api.stores.config.loadVersioned();
    const { settings, etag } = await readSettings();
    api.clearUpdates();
    const put = await api.request(
      'PUT',
      '/settings',
      admin,
      JSON.stringify({ ...settings, planNights: 5 }),
      undefined,
      {
        'if-match': etag,
      },
    );
    expect(put.status).toBe(200);
    const shards = new Set(luminaires.map((l) => shardOf(l.id)));
    expect(put.json.push.queued).toEqual({ shards: shards.size, luminaires: luminaires.length });
    expect(new Set(api.queued.map((chunk) => chunk.shard))).toEqual(shards);
    expect(new Set(api.updated)).toEqual(new Set(luminaires.map((l) => l.thingName)));

    const stored = await api.stores.config.loadVersioned();
    expect(stored.version).toBe(version + 1);
    expect(stored.config.planNights).toBe(5);
    expect(put.headers.get('etag')).toBe((await readSettings()).etag);
    const { items } = await api.stores.audit.list(JUNE);
    expect(items.find((entry) => entry.id === put.json.auditId)).toMatchObject({
      action: 'settings.put',
      before: { planNights: settings.planNights },
      after: { planNights: 5 },
    });
  });

  it('of two edits sent with the same ETag, one commits and the other is refused', async () => {
    const { settings, etag } = await readSettings();
    const edit = (tariffEurPerKwh: number) =>
      api.request(
        'PUT',
        '/settings',
        admin,
        JSON.stringify({ ...settings, site: { ...settings.site, tariffEurPerKwh } }),
        undefined,
        { 'if-match': etag },
      );
    // Two tariffs both unlike the stored one: an edit to the value already stored would keep the ETag.
    const [first, second] = [settings.site.tariffEurPerKwh + 0.05, settings.site.tariffEurPerKwh + 0.1];
    const answers = await Promise.all([edit(first), edit(second)]);
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses[0]).toBe(200);
    expect([409, 412]).toContain(statuses[1]);
    const winner = answers.find((answer) => answer.status === 200);
    const { config } = await api.stores.config.loadVersioned();
    expect(config.site.tariffEurPerKwh).toBe(winner === answers[0] ? first : second);
  });

  it('the writer refuses a settings change validated against an older version', async () => {
    const { config, version } = await api.stores.config.loadVersioned();
    const audit = {
      id: uniqueName('audit'),
      at: '2026-06-21T11:00:00.000Z',
      actor: 'a',
      action: 'settings.put',
      target: 'site settings',
      before: null,
      after: null,
    };
    const change = { kind: 'settings.put' as const, settings: { ...config, planNights: 3 } };
    await expect(makeConfigChangeWriter(api.table).commit(change, audit, version - 1)).rejects.toBeInstanceOf(
      ConfigurationChanged,
    );
    expect((await api.stores.config.loadVersioned()).config.planNights).toBe(config.planNights);
  });
});

describe('decommissioning a luminaire on the local cloud', () => {
  it('takes it out of the inventory and the push, keeps its nights, clears its alarms, and answers a retry the same', async () => {
    const [luminaire] = luminaires;
    if (luminaire === undefined) throw new Error('no luminaire');
    const keys = siteKeys(api.table.site);
    await api.table.db.send(
      new PutCommand({
        TableName: api.table.tableName,
        Item: {
          pk: keys.luminairePk(luminaire.id),
          sk: keys.luminaireDaySk('2026-06-20'),
          night: '2026-06-20',
          wh: 250,
          burnH: 8,
          reports: 32,
        },
      }),
    );
    await api.stores.alarms.open({
      luminaireId: luminaire.id,
      kind: 'lampFailure',
      zone: luminaire.zone,
      street: luminaire.street,
      openedAt: '2026-06-20T23:00:00.000Z',
    });
    await api.pusher.pushLuminaires([luminaire.id], uniqueName('run'));
    expect((await api.stores.pushState.get([luminaire.id])).size).toBe(1);

    const path = `/luminaires/${luminaire.id}/decommission`;
    const first = await api.request(
      'POST',
      path,
      technician,
      JSON.stringify({ reason: 'pole hit by a truck' }),
    );
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ alreadyDecommissioned: false, clearedAlarms: ['lampFailure'] });

    expect(await api.stores.luminaires.get([luminaire.id])).toEqual([]);
    expect(await api.stores.luminaires.byThing(luminaire.thingName)).toBeUndefined();
    expect((await api.stores.luminaires.listShard(shardOf(luminaire.id))).map((l) => l.id)).not.toContain(
      luminaire.id,
    );
    expect((await api.stores.pushState.get([luminaire.id])).size).toBe(0);
    expect(await api.stores.alarms.forLuminaire(luminaire.id)).toMatchObject([
      { kind: 'lampFailure', state: 'cleared' },
    ]);
    expect(await api.stores.luminaires.decommissioned(luminaire.id)).toMatchObject({
      luminaire,
      reason: 'pole hit by a truck',
    });
    const { items } = await api.stores.audit.list(JUNE);
    expect(items.find((entry) => entry.id === first.json.auditId)).toMatchObject({
      action: 'luminaire.decommission',
      before: luminaire,
    });

    const energy = await api.request(
      'GET',
      `/luminaires/${luminaire.id}/energy?from=2026-06-20&to=2026-06-20`,
      technician,
    );
    expect(energy.status).toBe(200);
    expect(energy.json.nights).toMatchObject([{ night: '2026-06-20', meteredWh: 250, reports: 32 }]);

    const again = await api.request('POST', path, technician);
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({
      alreadyDecommissioned: true,
      decommissionedAt: first.json.decommissionedAt,
    });
    expect((await api.request('POST', '/luminaires/nope/decommission', technician)).status).toBe(404);
  });
});
