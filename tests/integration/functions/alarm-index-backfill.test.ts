import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { makeIndexBackfill } from '#functions/alarms/index-backfill.ts';
import { makeAlarmIndexBackfillStore } from '#functions/store/alarm-index-backfill.ts';
import { LUMINAIRE_SHARDS, siteKeys } from '#functions/store/keys.ts';
import type { Luminaire } from '#schedules/index.ts';
import { testConfig, testLuminaires } from '#tests/support/functions/shared/fixtures.ts';
import { uniqueName } from '../local-clients.ts';
import { localSite } from './local-site.ts';

const keys = siteKeys('test');
const PERIOD = ['2026-06-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z'] as const;

/** An alarm item as the stores wrote it before AP31: no GSI2 keys. */
function oldAlarm(l: Luminaire, kind: string, openedAt: string, clearedAt?: string) {
  return {
    pk: keys.luminairePk(l.id),
    sk: keys.alarmSk(kind),
    luminaireId: l.id,
    kind,
    zone: l.zone,
    street: l.street,
    openedAt,
    ...(clearedAt === undefined
      ? {
          state: 'open',
          gsi1pk: keys.openAlarmsPk,
          gsi1sk: keys.openAlarmSk(l.zone, openedAt, l.id, kind),
        }
      : { state: 'cleared', clearedAt }),
  };
}

async function setup() {
  const luminaires = testLuminaires(3, uniqueName('B')) as [Luminaire, Luminaire, Luminaire];
  const site = await localSite(testConfig(), luminaires);
  const put = (item: object) => site.db.send(new PutCommand({ TableName: site.tables.main, Item: item }));
  const item = async (l: Luminaire, kind: string) =>
    (
      await site.db.send(
        new GetCommand({
          TableName: site.tables.main,
          Key: { pk: keys.luminairePk(l.id), sk: keys.alarmSk(kind) },
        }),
      )
    ).Item;
  const runUntilDone = async (backfill: ReturnType<typeof makeIndexBackfill>) => {
    const runs = [];
    for (let run = await backfill(); run.status === 'ran'; run = await backfill()) runs.push(run);
    return runs;
  };
  return { site, luminaires, put, item, runUntilDone };
}

describe('backfill of the AP31 keys on alarms raised before them', () => {
  it("walks the inventory a page of shards a run until done, after which the report's alarms of a period include the old ones", async () => {
    const { site, luminaires, put, item, runUntilDone } = await setup();
    const [a, b, c] = luminaires;
    await put(oldAlarm(a, 'lampFailure', '2026-05-20T21:00:00.000Z'));
    await put(oldAlarm(b, 'driverFault', '2026-06-02T21:00:00.000Z', '2026-06-05T06:00:00.000Z'));
    await site.stores.alarms.open({
      luminaireId: c.id,
      kind: 'lampFailure',
      zone: c.zone,
      street: c.street,
      openedAt: '2026-06-10T21:00:00.000Z',
    });
    expect((await site.stores.alarms.openDuring(...PERIOD)).map((x) => x.luminaireId)).toEqual([c.id]);
    const before = await item(b, 'driverFault');

    const backfill = makeIndexBackfill({
      luminaires: site.stores.luminaires,
      backfill: site.stores.alarmIndexBackfill,
      now: () => Date.parse('2026-07-01T00:00:00Z') / 1000,
      shardsPerRun: 100,
    });
    const runs = await runUntilDone(backfill);
    expect(runs.map((r) => r.status === 'ran' && r.nextShard)).toEqual([100, 200, LUMINAIRE_SHARDS]);
    expect(runs.reduce((sum, r) => sum + (r.status === 'ran' ? r.backfilled : 0), 0)).toBe(2);

    const found = await site.stores.alarms.openDuring(...PERIOD);
    expect(found.map((x) => `${x.luminaireId} ${x.state}`).sort()).toEqual(
      [`${a.id} open`, `${b.id} cleared`, `${c.id} open`].sort(),
    );
    expect(await item(b, 'driverFault')).toEqual({
      ...before,
      gsi2pk: keys.alarmsByOpeningPk,
      gsi2sk: keys.alarmByOpeningSk('2026-06-02T21:00:00.000Z', b.id, 'driverFault'),
    });
    expect(await site.stores.alarmIndexBackfill.progress()).toEqual({ doneAt: '2026-07-01T00:00:00.000Z' });
    expect(await backfill()).toEqual({ status: 'done' });
  });

  it('is safe to re-run: items with keys are not written again, and progress never goes back', async () => {
    const { site, luminaires, put } = await setup();
    const [a] = luminaires;
    await put(oldAlarm(a, 'lampFailure', '2026-05-20T21:00:00.000Z'));
    const store = site.stores.alarmIndexBackfill;
    expect(await store.backfillLuminaire(a.id)).toBe(1);
    expect(await store.backfillLuminaire(a.id)).toBe(0);
    await store.saveProgress({ nextShard: 32 });
    await store.saveProgress({ nextShard: 16 });
    expect(await store.progress()).toEqual({ nextShard: 32 });
    await store.saveProgress({ doneAt: '2026-07-01T00:00:00.000Z' });
    await store.saveProgress({ nextShard: 48 });
    expect(await store.progress()).toEqual({ doneAt: '2026-07-01T00:00:00.000Z' });
  });

  it('never overwrites an alarm opened again between its read and its backfill', async () => {
    const { site, luminaires, put, item } = await setup();
    const [a] = luminaires;
    await put(oldAlarm(a, 'lampFailure', '2026-05-20T21:00:00.000Z', '2026-05-21T06:00:00.000Z'));
    const reopenedAt = '2026-06-10T21:00:00.000Z';
    let raced = false;
    // The alarm opens again just as the backfill's write of the old opening leaves.
    const racing = {
      send: async (command: unknown) => {
        if (command instanceof UpdateCommand && !raced) {
          raced = true;
          await site.stores.alarms.open({
            luminaireId: a.id,
            kind: 'lampFailure',
            zone: a.zone,
            street: a.street,
            openedAt: reopenedAt,
          });
        }
        return site.db.send(command as GetCommand);
      },
    } as unknown as DynamoDBDocumentClient;
    const store = makeAlarmIndexBackfillStore({ db: racing, tableName: site.tables.main, site: 'test' });
    expect(await store.backfillLuminaire(a.id)).toBe(0);
    expect(raced).toBe(true);
    expect(await item(a, 'lampFailure')).toMatchObject({
      state: 'open',
      openedAt: reopenedAt,
      gsi2sk: keys.alarmByOpeningSk(reopenedAt, a.id, 'lampFailure'),
    });
  });
});
