import { IoTDataPlaneClient, UpdateThingShadowCommand } from '@aws-sdk/client-iot-data-plane';
import { describe, expect, it } from 'vitest';
import { CabinetAgent } from '#device-sim/cabinet/agent.ts';
import { ManualClock } from '#device-sim/clock.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startIotLocal } from '#local-cloud/index.ts';
import {
  CabinetMeterMessage,
  cabinetMeterTopic,
  LOCAL_CABINET_METER_RULE,
} from '#protocol/messages/cabinet-meter.ts';
import { encodeShadowPlan } from '#protocol/plan-codec.ts';
import { uniqueName } from '../local-clients.ts';

const H = 3600;
/** 2026-06-21 18:00 UTC, an hour and a half before sunset at Carcassonne. */
const T0 = 1_782_064_800;

async function until<T>(probe: () => T, what: string, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A cabinet feeding four node-less luminaires (40, 40, 40 and 60 W: phases 0, 1, 2, 0) and one
 * luminaire with its own controller on phase 1, on a stand-in of its own, its meter readings
 * collected as the cabinet meter rule receives them.
 */
async function cabinetOnItsOwnCloud() {
  const cloud = await startIotLocal();
  const data = new IoTDataPlaneClient({
    endpoint: cloud.httpEndpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const received: CabinetMeterMessage[] = [];
  const topics = new Set<string>();
  cloud.routeRule(LOCAL_CABINET_METER_RULE, (topic, payload) => {
    topics.add(topic);
    received.push(CabinetMeterMessage.parse(JSON.parse(payload.toString())));
  });
  const clock = new ManualClock(T0);
  let ownWh = 0;
  const agent = new CabinetAgent({
    cabinet: { thingName: uniqueName('CAB'), lat: 43.2065, lon: 2.3637, lineLossPercent: 5 },
    circuitWatts: [40, 40, 40, 60],
    ownControllers: [{ phase: 1, energyWh: () => ownWh }],
    mqttUrl: cloud.mqttUrl,
    clock,
    log: () => {},
    getRetryMs: 500,
    reportSpreadSeconds: 0,
  });
  await agent.start();
  const close = async () => {
    await agent.stop();
    await cloud.stop();
  };
  const setOwnWh = (wh: number) => {
    ownWh = wh;
  };
  return { clock, agent, data, received, topics, setOwnWh, close };
}

describe('cabinet agent against the local IoT Core stand-in', () => {
  it('switches its contactor and dimming step as its plan says and meters its circuit per phase with the line loss', async () => {
    const { clock, agent, data, received, topics, setOwnWh, close } = await cabinetOnItsOwnCloud();
    try {
      const plan = encodeShadowPlan(
        [
          { at: T0 + H, level: 100 },
          { at: T0 + 2 * H, level: 50 },
          { at: T0 + 4 * H, level: 0 },
        ],
        T0 + 24 * H,
      );
      const payload = new TextEncoder().encode(JSON.stringify({ state: { desired: { plan } } }));
      await data.send(
        new UpdateThingShadowCommand({ thingName: agent.thingName, shadowName: 'plan', payload }),
      );
      await until(() => agent.snapshot().planHash === plan.h, 'plan applied');
      expect(agent.snapshot().level).toBe(0);

      clock.advanceTo(T0 + H + 1);
      expect(agent.snapshot()).toMatchObject({ level: 100, reason: 'plan', powerW: 180 });
      clock.advanceTo(T0 + 3 * H);
      expect(agent.snapshot()).toMatchObject({ level: 50, powerW: 90 });
      setOwnWh(30);
      clock.advanceTo(T0 + 5 * H);
      expect(agent.snapshot().level).toBe(0);
      await until(() => received.at(-1)?.ts === T0 + 5 * H, 'readings up to the last period');

      // Circuit: 180 Wh at 100 %, 180 Wh at 50 % (2 h); phase 0 has 100 of the 180 W.
      const circuit = 180 + 180;
      const last = received.at(-1) as CabinetMeterMessage;
      expect(last.totalWh).toBeCloseTo((circuit + 30) * 1.05, 2);
      expect(last.phasesWh[0]).toBeCloseTo(circuit * (100 / 180) * 1.05, 2);
      expect(last.phasesWh[1]).toBeCloseTo((circuit * (40 / 180) + 30) * 1.05, 2);
      const totals = received.map((m) => m.totalWh);
      expect(totals).toEqual([...totals].sort((a, b) => a - b));
      expect(new Set(received.map((m) => m.counterId)).size).toBe(1);
      expect([...topics]).toEqual([cabinetMeterTopic(agent.thingName)]);
    } finally {
      await close();
    }
  });

  it('closes its contactor by its astronomical clock while it has no plan, and keeps its meter through a reboot', async () => {
    const { clock, agent, received, close } = await cabinetOnItsOwnCloud();
    try {
      clock.advanceTo(T0 + 4 * H);
      expect(agent.snapshot()).toMatchObject({ level: 100, reason: 'fallback' });
      await until(() => received.at(-1)?.ts === T0 + 4 * H, 'readings while lit');
      const before = received.at(-1) as CabinetMeterMessage;
      await agent.reboot();
      clock.advanceTo(T0 + 5 * H);
      await until(() => received.at(-1)?.ts === T0 + 5 * H, 'readings after the reboot');
      const after = received.at(-1) as CabinetMeterMessage;
      expect(after.counterId).toBe(before.counterId);
      expect(after.totalWh).toBeCloseTo(before.totalWh + 180 * 1.05, 1);
    } finally {
      await close();
    }
  });
});
