import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { makeAlarmBackfill } from '#functions/alarms/alarm-backfill.ts';
import { makeAlarmAcknowledgements } from '#functions/store/alarm-acknowledgements.ts';
import { makeAlarmBackfillStore } from '#functions/store/alarm-backfill.ts';
import { LUMINAIRE_SHARDS, siteKeys } from '#functions/store/keys.ts';
import type { Luminaire } from '#schedules/index.ts';
import { CITIZEN_REPORT } from '#schedules/public/fault-report.ts';
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
  const runUntilDone = async (backfill: ReturnType<typeof makeAlarmBackfill>) => {
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

    const backfill = makeAlarmBackfill({
      luminaires: site.stores.luminaires,
      backfill: site.stores.alarmBackfill,
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
    expect(await site.stores.alarmBackfill.progress()).toEqual({ doneAt: '2026-07-01T00:00:00.000Z' });
    expect(await backfill()).toEqual({ status: 'done' });
  });

  it('is safe to re-run: items with keys are not written again, and progress never goes back', async () => {
    const { site, luminaires, put } = await setup();
    const [a] = luminaires;
    await put(oldAlarm(a, 'lampFailure', '2026-05-20T21:00:00.000Z'));
    const store = site.stores.alarmBackfill;
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
    const store = makeAlarmBackfillStore({ db: racing, tableName: site.tables.main, site: 'test' });
    expect(await store.backfillLuminaire(a.id)).toBe(0);
    expect(raced).toBe(true);
    expect(await item(a, 'lampFailure')).toMatchObject({
      state: 'open',
      openedAt: reopenedAt,
      gsi2sk: keys.alarmByOpeningSk(reopenedAt, a.id, 'lampFailure'),
    });
  });
});

describe('citizen reports made before their map point was kept apart', () => {
  const LAT = '43.20712';
  const LON = '2.36518';
  const legacyReport = (l: Luminaire, openedAt: string, clearedAt?: string) => ({
    ...oldAlarm(l, CITIZEN_REPORT, openedAt, clearedAt),
    gsi2pk: keys.alarmsByOpeningPk,
    gsi2sk: keys.alarmByOpeningSk(openedAt, l.id, CITIZEN_REPORT),
    detail: `lamp out [point ${LAT}, ${LON}; nearest: ${l.id} (8 m), L-other (41 m)]`,
  });

  it('are read as the reports now write them: the point out of the text, kept apart only while open', async () => {
    const { site, luminaires, put } = await setup();
    const [a, b] = luminaires;
    await put(legacyReport(a, '2026-06-02T21:00:00.000Z'));
    await put(legacyReport(b, '2026-06-01T21:00:00.000Z', '2026-06-03T08:00:00.000Z'));
    const [open] = await site.stores.alarms.listOpen();
    expect(open).toMatchObject({
      detail: `lamp out [map point; nearest: ${a.id}, L-other]`,
      reporterPoint: { lat: Number(LAT), lon: Number(LON) },
    });
    const [closed] = await site.stores.alarms.forLuminaire(b.id);
    expect(closed?.detail).toBe(`lamp out [map point; nearest: ${b.id}, L-other]`);
    expect(closed).not.toHaveProperty('reporterPoint');
  });

  it("are cleaned where stored by the backfill, and closing one then erases its point as a new report's", async () => {
    const { site, luminaires, put, item } = await setup();
    const [a, b] = luminaires;
    await put(legacyReport(a, '2026-06-02T21:00:00.000Z'));
    await put(legacyReport(b, '2026-06-01T21:00:00.000Z', '2026-06-03T08:00:00.000Z'));
    const store = site.stores.alarmBackfill;
    expect((await store.backfillLuminaire(a.id)) + (await store.backfillLuminaire(b.id))).toBe(2);
    expect(await store.backfillLuminaire(a.id)).toBe(0);
    const stored = [await item(a, CITIZEN_REPORT), await item(b, CITIZEN_REPORT)];
    expect(stored.map((s) => s?.detail)).toEqual([
      `lamp out [map point; nearest: ${a.id}, L-other]`,
      `lamp out [map point; nearest: ${b.id}, L-other]`,
    ]);
    expect(stored[0]?.reporterPoint).toEqual({ lat: Number(LAT), lon: Number(LON) });
    expect(stored[1]).not.toHaveProperty('reporterPoint');

    const acknowledgements = makeAlarmAcknowledgements({
      db: site.db,
      tableName: site.tables.main,
      site: 'test',
    });
    const audit = {
      id: 'audit-1',
      at: '2026-06-04T08:00:00.000Z',
      actor: 'tech@example.org',
      action: 'alarm.close',
      target: a.id,
      before: null,
      after: null,
    };
    expect(await acknowledgements.close(a.id, CITIZEN_REPORT, audit)).toBe('closed');
    for (const s of [await item(a, CITIZEN_REPORT), await item(b, CITIZEN_REPORT)]) {
      const text = JSON.stringify(s);
      expect(text).not.toContain(LAT);
      expect(text).not.toContain(LON);
      expect(text).not.toMatch(/\d+ m\)/);
    }
  });

  it('are never given a point once closed, when the close comes between the read and the backfill', async () => {
    const { site, luminaires, put, item } = await setup();
    const [a] = luminaires;
    await put(legacyReport(a, '2026-06-02T21:00:00.000Z'));
    const acknowledgements = makeAlarmAcknowledgements({
      db: site.db,
      tableName: site.tables.main,
      site: 'test',
    });
    let raced = false;
    const racing = {
      send: async (command: unknown) => {
        if (command instanceof UpdateCommand && !raced) {
          raced = true;
          const at = '2026-06-04T08:00:00.000Z';
          await acknowledgements.close(a.id, CITIZEN_REPORT, {
            id: 'audit-2',
            at,
            actor: 'tech@example.org',
            action: 'alarm.close',
            target: a.id,
            before: null,
            after: null,
          });
        }
        return site.db.send(command as GetCommand);
      },
    } as unknown as DynamoDBDocumentClient;
    const store = makeAlarmBackfillStore({ db: racing, tableName: site.tables.main, site: 'test' });
    expect(await store.backfillLuminaire(a.id)).toBe(1);
    const stored = await item(a, CITIZEN_REPORT);
    expect(stored).toMatchObject({
      state: 'cleared',
      detail: `lamp out [map point; nearest: ${a.id}, L-other]`,
    });
    expect(stored).not.toHaveProperty('reporterPoint');
  });
});
