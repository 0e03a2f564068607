import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { makeHandler } from '../../../functions/telemetry/handler.ts';
import type { RejectReason } from '../../../functions/telemetry/reject-reasons.ts';
import { compileRule } from '../../../local-runtime/iot-rules.ts';
import { TELEMETRY_RULE_SQL } from '../../../protocol/iot-rules.ts';
import type { TelemetryEvent } from '../../../protocol/messages.ts';
import { telemetryTopic } from '../../../protocol/topics.ts';
import type { Luminaire } from '../../../schedules/index.ts';
import { testConfig, testLuminaires } from '../../support/functions/shared/fixtures.ts';
import { localMqttUrl, uniqueName } from '../local-clients.ts';
import { eventually, localSite } from './local-site.ts';

/** 2026-06-21 23:30 Paris. */
const T = Date.parse('2026-06-21T21:30:00Z') / 1000;

async function setup(count = 2) {
  const luminaires = testLuminaires(count, uniqueName('T'));
  const site = await localSite(testConfig(), luminaires);
  const counted: RejectReason[] = [];
  const handler = makeHandler({
    config: () => site.stores.config.load(),
    luminaireOf: (thing) => site.stores.luminaires.byThing(thing),
    telemetry: site.stores.telemetry,
    alarms: site.stores.alarms,
    rejects: site.stores.rejects,
    countReject: (reason) => counted.push(reason),
    now: () => T,
  });
  return { site, handler, counted, luminaires: luminaires as [Luminaire, Luminaire, ...Luminaire[]] };
}

/** A report as the telemetry rule delivers it, received two seconds after the controller's `ts`. */
const report = (luminaire: Luminaire, over: Partial<TelemetryEvent>): TelemetryEvent => ({
  thing: luminaire.thingName,
  ts: T,
  seq: 0,
  counterId: 'drv-1',
  energyWh: 5_000,
  burningHours: 300,
  level: 70,
  powerW: 25,
  planHash: null,
  faults: [],
  receivedAt: ((over.ts ?? T) + 2) * 1000,
  ...over,
});

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('telemetry ingest against DynamoDB Local', () => {
  it('gives exact energy through duplicates, out-of-order delivery, a counter reset and concurrent deliveries', async () => {
    const { site, handler, luminaires } = await setup();
    const [a, b] = luminaires;
    const sequence = [
      report(a, { seq: 0, energyWh: 5_000 }),
      report(a, { seq: 1, ts: T + 900, energyWh: 5_010, burningHours: 300.25 }),
      report(a, { seq: 3, ts: T + 2_700, energyWh: 5_030, burningHours: 300.75 }),
      report(a, { seq: 2, ts: T + 1_800, energyWh: 5_020, burningHours: 300.5 }),
      report(a, { seq: 1, ts: T + 900, energyWh: 5_010, burningHours: 300.25 }),
      report(a, { seq: 0, ts: T + 3_600, counterId: 'drv-2', energyWh: 2, burningHours: 0 }),
      report(a, { seq: 1, ts: T + 4_500, counterId: 'drv-2', energyWh: 9, burningHours: 0.25 }),
      report(b, { seq: 7, energyWh: 100 }),
      report(b, { seq: 8, ts: T + 900, energyWh: 110 }),
    ];
    for (const message of sequence) await handler(message);
    // A duplicate burst delivered at once: only one of them may count.
    const burst = report(a, { seq: 2, ts: T + 5_400, counterId: 'drv-2', energyWh: 20, burningHours: 0.5 });
    const statuses = (await Promise.all([1, 2, 3, 4].map(() => handler(burst)))).map((r) => r.status);
    expect(statuses.filter((s) => s === 'counted')).toHaveLength(1);

    const nights = await site.stores.rollups.luminaireNights(a.id, '2026-06-21', '2026-06-21');
    expect(nights).toEqual([{ night: '2026-06-21', wh: 10 + 20 + 7 + 11, burnH: 1.25, reports: 6 }]);

    const zones = await site.stores.rollups.zoneNights('2026-06-21', '2026-06-21');
    const byZone = (zone: string) =>
      zones
        .filter((r) => r.zone === zone)
        .reduce((sum, r) => ({ wh: sum.wh + r.wh, days: sum.days + r.luminaireDays }), { wh: 0, days: 0 });
    expect(byZone(a.zone)).toEqual({ wh: 48, days: 1 });
    expect(byZone(b.zone)).toEqual({ wh: 10, days: 1 });
    const streets = await site.stores.rollups.streetMonths('2026-06-01', '2026-06-30');
    expect(streets.reduce((sum, r) => sum + r.wh, 0)).toBe(58);

    const raw = await site.stores.telemetry.reports(a.id, T, T + 6_000);
    expect(raw).toHaveLength(7);
  });

  it('counts every luminaire of a street reporting in the same second (rollup contention loses nothing)', async () => {
    const { site, handler, luminaires } = await setup(12);
    await Promise.all(luminaires.map((l) => handler(report(l, { seq: 0, energyWh: 1_000 }))));
    const results = await Promise.all(
      luminaires.map((l) => handler(report(l, { seq: 1, ts: T + 900, energyWh: 1_009 }))),
    );
    expect(results.map((r) => r.status)).toEqual(luminaires.map(() => 'counted'));
    const streets = await site.stores.rollups.streetMonths('2026-06-01', '2026-06-30');
    expect(streets.reduce((sum, r) => sum + r.wh, 0)).toBe(12 * 9);
    expect(new Set(streets.map((r) => r.street))).toEqual(new Set(['Rue Trivalle']));
  });

  it('keeps one open alarm per luminaire and fault, and clears it when the fault is gone', async () => {
    const { site, handler, luminaires } = await setup();
    const [a] = luminaires;
    await handler(report(a, { seq: 0, faults: ['lampFailure'] }));
    await handler(report(a, { seq: 1, ts: T + 900, energyWh: 5_000, faults: ['lampFailure'] }));
    expect(await site.stores.alarms.listOpen(a.zone)).toEqual([
      expect.objectContaining({ luminaireId: a.id, kind: 'lampFailure', state: 'open' }),
    ]);
    await handler(report(a, { seq: 2, ts: T + 1_800, energyWh: 5_000, faults: [] }));
    expect(await site.stores.alarms.listOpen()).toEqual([]);
    expect(await site.stores.alarms.forLuminaire(a.id)).toEqual([
      expect.objectContaining({ kind: 'lampFailure', state: 'cleared' }),
    ]);
  });

  it('keeps a future-dated report out of the ledger, in the rejects store, and still counts the next valid report', async () => {
    const { site, handler, counted, luminaires } = await setup(1);
    const [a] = luminaires;
    await handler(report(a, { seq: 0, energyWh: 5_000 }));
    const future = Date.parse('2100-01-01T00:00:00Z') / 1000;
    const receivedAt = (T + 300) * 1000;
    expect(await handler(report(a, { seq: 1, ts: future, receivedAt, energyWh: 5_004 }))).toMatchObject({
      status: 'rejected',
      reason: 'future-timestamp',
    });
    expect(await handler(report(a, { seq: 2, ts: T + 900, energyWh: 5_009 }))).toMatchObject({
      status: 'counted',
      wh: 9,
    });

    expect(await site.stores.rejects.list(a.thingName, 0, Date.now())).toEqual([
      expect.objectContaining({
        thing: a.thingName,
        receivedAt,
        reason: 'future-timestamp',
        message: expect.stringContaining(`"ts":${future}`),
      }),
    ]);
    expect(counted).toEqual(['future-timestamp']);
    const nights = await site.stores.rollups.luminaireNights(a.id, '2026-06-21', '2026-06-21');
    expect(nights).toEqual([expect.objectContaining({ wh: 9, reports: 2 })]);
    expect(await site.stores.telemetry.reports(a.id, 0, future)).toHaveLength(2);
  });

  it('holds a glitch low reading on the meter state and counts the next normal reading once', async () => {
    const { site, handler, luminaires } = await setup(1);
    const [a] = luminaires;
    await handler(report(a, { seq: 0, energyWh: 5_000 }));
    expect(await handler(report(a, { seq: 1, ts: T + 900, energyWh: 3 }))).toMatchObject({
      status: 'rejected',
      reason: 'counter-decrease',
    });
    expect(await site.stores.telemetry.meterState(a.id)).toMatchObject({
      energyWh: 5_000,
      pending: { energyWh: 3, seq: 1 },
    });
    expect(await handler(report(a, { seq: 2, ts: T + 1_800, energyWh: 5_012 }))).toMatchObject({ wh: 12 });
    const meter = await site.stores.telemetry.meterState(a.id);
    expect(meter).toMatchObject({ energyWh: 5_012 });
    expect(meter?.pending).toBeUndefined();
    const nights = await site.stores.rollups.luminaireNights(a.id, '2026-06-21', '2026-06-21');
    expect(nights).toEqual([expect.objectContaining({ wh: 12 })]);
  });

  it('books a report to the thing of the topic it was published on, whatever thing the payload claims', async () => {
    const { site, handler, luminaires } = await setup(2);
    const [own, other] = luminaires;
    const rule = compileRule(TELEMETRY_RULE_SQL);
    const results: unknown[] = [];
    const ruleClient = await mqtt.connectAsync(localMqttUrl(), { protocolVersion: 4 });
    closers.push(() => ruleClient.endAsync());
    // One invocation after the other, in arrival order, both received a quarter of an hour in.
    // Other tests' devices publish on the shared broker too: only this device's topic counts here.
    let invocations = Promise.resolve();
    ruleClient.on('message', (topic, payload) => {
      const event = rule.toEvent(topic, payload, (T + 1_000) * 1000);
      if (event === undefined || topic !== telemetryTopic(own.thingName)) return;
      invocations = invocations.then(async () => {
        results.push(await handler(event));
      });
    });
    await ruleClient.subscribeAsync(rule.topicFilter, { qos: 1 });

    const device = await mqtt.connectAsync(localMqttUrl(), { protocolVersion: 4 });
    closers.push(() => device.endAsync());
    const { receivedAt: _received, ...payload } = report(other, { seq: 0, energyWh: 700 });
    await device.publishAsync(telemetryTopic(own.thingName), JSON.stringify(payload), { qos: 1 });
    await device.publishAsync(
      telemetryTopic(own.thingName),
      JSON.stringify({ ...payload, seq: 1, ts: T + 900, energyWh: 709, receivedAt: 0 }),
      { qos: 1 },
    );

    await eventually(() => results.length === 2, 'both reports handled');
    expect(results).toEqual([
      expect.objectContaining({ status: 'baseline', id: own.id }),
      expect.objectContaining({ status: 'counted', id: own.id, wh: 9 }),
    ]);
    expect(await site.stores.telemetry.meterState(own.id)).toMatchObject({ energyWh: 709 });
    expect(await site.stores.telemetry.meterState(other.id)).toBeUndefined();
  });
});
