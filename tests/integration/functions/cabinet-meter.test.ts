import { IoTDataPlaneClient, UpdateThingShadowCommand } from '@aws-sdk/client-iot-data-plane';
import { describe, expect, it } from 'vitest';
import { CabinetAgent } from '#device-sim/cabinet/agent.ts';
import { ManualClock } from '#device-sim/clock.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startIotLocal } from '#local-cloud/index.ts';
import { compileRule } from '#local-runtime/iot-rules.ts';
import { CABINET_METER_RULE, LOCAL_CABINET_METER_RULE } from '#protocol/messages/cabinet-meter.ts';
import { encodeShadowPlan } from '#protocol/plan-codec.ts';
import { cabinetMeterHandler, testCabinet } from '#tests/support/functions/cabinet-meter.ts';
import { testConfig } from '#tests/support/functions/shared/fixtures.ts';
import { uniqueName } from '../local-clients.ts';
import { eventually, localSite } from './local-site.ts';

const H = 3600;
/** 2026-06-21 18:00 UTC: the night of 2026-06-21 in Paris. */
const T0 = 1_782_064_800;
const NIGHT = '2026-06-21';

async function setup() {
  const cabinet = testCabinet({ id: uniqueName('CAB'), subscribedKva: 6, lineLossPercent: 4 });
  const site = await localSite(testConfig(), []);
  await site.stores.cabinets.put([cabinet]);
  const { stores } = site;
  const { handler, counted, records } = cabinetMeterHandler({
    now: () => T0,
    timezone: async () => (await stores.config.load()).site.timezone,
    cabinetOf: async (thing) => (await stores.cabinets.listAll()).find((c) => c.thingName === thing),
    meters: stores.cabinetMeters,
    rejects: stores.rejects,
  });
  return { cabinet, site, counted, handler, records };
}

describe('cabinet meter ledger against the local IoT stand-in and DynamoDB Local', () => {
  it('folds a cabinet agent’s readings, delivered twice, into its metered energy of the night once', async () => {
    const { cabinet, site, handler, records } = await setup();
    const cloud = await startIotLocal();
    const rule = compileRule(CABINET_METER_RULE.sql);
    const events: Record<string, unknown>[] = [];
    const clock = new ManualClock(T0);
    // The broker's receive time on the simulated clock, as the local runtime gives it.
    cloud.routeRule(LOCAL_CABINET_METER_RULE, (topic, payload) => {
      const event = rule.toEvent(topic, payload, Math.round(clock.now() * 1000));
      if (event !== undefined) events.push(event);
    });
    const agent = new CabinetAgent({
      cabinet,
      circuitWatts: [50, 50, 50, 50],
      mqttUrl: cloud.mqttUrl,
      clock,
      log: () => {},
      getRetryMs: 500,
      reportSpreadSeconds: 0,
    });
    try {
      await agent.start();
      const data = new IoTDataPlaneClient({
        endpoint: cloud.httpEndpoint,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
      });
      const plan = encodeShadowPlan(
        [
          { at: T0 + H, level: 100 },
          { at: T0 + 3 * H, level: 0 },
        ],
        T0 + 24 * H,
      );
      const payload = new TextEncoder().encode(JSON.stringify({ state: { desired: { plan } } }));
      await data.send(
        new UpdateThingShadowCommand({ thingName: cabinet.thingName, shadowName: 'plan', payload }),
      );
      await eventually(() => agent.snapshot().planHash === plan.h, 'plan applied');
      clock.advanceTo(T0 + 4 * H);
      await eventually(() => events.at(-1)?.ts === T0 + 4 * H, 'readings up to the last period');

      expect(await handler(records(events))).toEqual({ batchItemFailures: [] });
      expect(await handler(records(events))).toEqual({ batchItemFailures: [] });
      const metered = await site.stores.cabinetMeters.meteredByNight(cabinet.id, NIGHT, NIGHT);
      const first = events[0]?.totalWh as number;
      expect(metered.get(NIGHT)).toBeCloseTo((events.at(-1)?.totalWh as number) - first, 3);
      expect(metered.get(NIGHT)).toBeCloseTo(400 * 1.04, 1);
      expect(await site.stores.cabinetMeters.meterState(cabinet.id)).toMatchObject({
        energyWh: events.at(-1)?.totalWh,
        phasesWh: events.at(-1)?.phasesWh,
      });
    } finally {
      await agent.stop();
      await cloud.stop();
    }
  });

  it.each([
    ['a thing that is no cabinet', { thing: 'L-0001' }, 'unknown-cabinet'],
    ['a total that is not the sum of its phases', { totalWh: 5 }, 'invalid'],
    ['a negative phase register', { phasesWh: [-1, 1, 0], totalWh: 0 }, 'invalid'],
    ['a clock an hour ahead of the broker', { ts: T0 + H }, 'future-timestamp'],
  ])('keeps %s out of the ledger, recorded as a reject with its reason', async (_, change, reason) => {
    const { cabinet, site, handler, records, counted } = await setup();
    const reading = {
      thing: cabinet.thingName,
      ts: T0,
      seq: 1,
      counterId: 'meter-1',
      phasesWh: [1, 2, 3],
      totalWh: 6,
      receivedAt: T0 * 1000,
      ...change,
    };
    expect(await handler(records([reading]))).toEqual({ batchItemFailures: [] });
    expect(counted).toEqual([reason]);
    const rejects = await site.stores.rejects.list(reading.thing, 0, (T0 + 10) * 1000);
    expect(rejects.map((r) => r.reason)).toEqual([reason]);
    expect(await site.stores.cabinetMeters.meterState(cabinet.id)).toBeUndefined();
  });

  it('advances a meter state only from the state it was read at', async () => {
    const { cabinet, site } = await setup();
    const meters = site.stores.cabinetMeters;
    const state = { counterId: 'm', ts: T0, seq: 1, energyWh: 10, burningHours: 0, night: NIGHT, faults: [] };
    expect(await meters.advance(cabinet.id, undefined, state, new Map())).toBe('committed');
    const next = { ...state, ts: T0 + 900, seq: 2, energyWh: 20 };
    expect(await meters.advance(cabinet.id, undefined, next, new Map([[NIGHT, 10]]))).toBe('stale');
    expect(await meters.advance(cabinet.id, state, next, new Map([[NIGHT, 10]]))).toBe('committed');
    expect(await meters.meteredByNight(cabinet.id, NIGHT, NIGHT)).toEqual(new Map([[NIGHT, 10]]));
  });
});
