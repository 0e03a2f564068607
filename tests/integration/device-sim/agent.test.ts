import {
  GetThingShadowCommand,
  IoTDataPlaneClient,
  UpdateThingShadowCommand,
} from '@aws-sdk/client-iot-data-plane';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '#device-sim/clock.ts';
import { duplicateTelemetry, reorderTelemetry } from '#device-sim/faults.ts';
import { type AgentSnapshot, LuminaireAgent } from '#device-sim/luminaire/agent.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startIotLocal } from '#local-cloud/index.ts';
import { PUBACK_METERED_BYTES } from '#local-cloud/iot/metering.ts';
import { LOCAL_TELEMETRY_RULE, TelemetryMessage, telemetryTopic } from '#protocol/messages/telemetry.ts';
import { encodeShadowPlan } from '#protocol/plan-codec.ts';
import type { ShadowPlan } from '#protocol/shadows.ts';
import { Luminaire } from '#schedules/inventory/schema.ts';
import { localIotData, localMqttUrl, messageSizes, uniqueName } from '../local-clients.ts';

const H = 3600;
/** 2026-06-21 18:00 UTC, an hour and a half before sunset at Carcassonne. */
const T0 = 1_782_064_800;

const iot = localIotData();
const agents: LuminaireAgent[] = [];

afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.stop()));
});

function luminaire(): Luminaire {
  const id = uniqueName('L');
  return Luminaire.parse({
    id,
    lat: 43.2065,
    lon: 2.3637,
    street: 'Rue Trivalle',
    zone: 'cite',
    ledWatts: 40,
    baselineWatts: 150,
  });
}

async function startAgent(clock: ManualClock, mqttUrl = localMqttUrl()): Promise<LuminaireAgent> {
  const agent = new LuminaireAgent({
    luminaire: luminaire(),
    mqttUrl,
    clock,
    log: () => {},
    getRetryMs: 500,
    // These tests follow single reports on the wire; the spread is a unit test of the controller.
    reportSpreadSeconds: 0,
  });
  agents.push(agent);
  await agent.start();
  return agent;
}

async function until<T>(
  probe: () => T | Promise<T>,
  what: string,
  timeoutMs = 30_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function writeDesired(
  thingName: string,
  shadowName: string,
  desired: object,
  client: IoTDataPlaneClient = iot,
): Promise<void> {
  const payload = encoder.encode(JSON.stringify({ state: { desired } }));
  await client.send(new UpdateThingShadowCommand({ thingName, shadowName, payload }));
}

interface ShadowDoc {
  state: {
    reported?: { level?: number; energyWh?: number; planHash?: string | null };
  };
  version?: number;
}

/** The shadow document, or an empty one while the device has not created it yet. */
async function readShadow(
  thingName: string,
  shadowName?: string,
  client: IoTDataPlaneClient = iot,
): Promise<ShadowDoc> {
  try {
    const out = await client.send(new GetThingShadowCommand({ thingName, shadowName }));
    return JSON.parse(decoder.decode(out.payload));
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return { state: {} };
    throw error;
  }
}

/** Full light an hour after T0, 30 % two hours after, off at midnight UTC. */
const evening = (): ShadowPlan =>
  encodeShadowPlan(
    [
      { at: T0 + H, level: 100 },
      { at: T0 + 2 * H, level: 30 },
      { at: T0 + 6 * H, level: 0 },
    ],
    T0 + 24 * H,
  );

/** An agent started at `start` that has received the evening plan and follows it. */
async function agentOnEveningPlan(start: number, level: number) {
  const clock = new ManualClock(start);
  const agent = await startAgent(clock);
  const plan = evening();
  await writeDesired(agent.thingName, 'plan', { plan });
  await until(
    () => agent.snapshot().planHash === plan.h && agent.snapshot().level === level,
    `planned ${level} %`,
  );
  return { clock, agent, plan };
}

/**
 * Starts an agent at T0 on a stand-in of its own (the shared one runs in another process) and
 * collects the telemetry it publishes by Basic Ingest, with the topic the telemetry rule sees.
 */
async function agentWithTelemetry() {
  const cloud = await startIotLocal();
  const data = new IoTDataPlaneClient({
    endpoint: cloud.httpEndpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const received: TelemetryMessage[] = [];
  const topics = new Set<string>();
  cloud.routeRule(LOCAL_TELEMETRY_RULE, (topic, payload) => {
    topics.add(topic);
    received.push(TelemetryMessage.parse(JSON.parse(payload.toString())));
  });
  const clock = new ManualClock(T0);
  const agent = await startAgent(clock, cloud.mqttUrl);
  const close = async () => {
    await agent.stop();
    await cloud.stop();
  };
  return { clock, agent, received, topics, data, close };
}

/**
 * An agent on a stand-in of its own whose meter records the size of every metered message, and
 * the reported state of its classic shadow (where the agent acknowledges a plan it applied).
 */
async function meteredAgent() {
  const { metering, sizes: metered } = messageSizes();
  const cloud = await startIotLocal({ metering });
  const data = new IoTDataPlaneClient({
    endpoint: cloud.httpEndpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const clock = new ManualClock(T0);
  const agent = await startAgent(clock, cloud.mqttUrl);
  const reported = async () => {
    try {
      const out = await data.send(new GetThingShadowCommand({ thingName: agent.thingName }));
      return (JSON.parse(decoder.decode(out.payload)) as ShadowDoc).state.reported;
    } catch {
      return undefined;
    }
  };
  const close = async () => {
    await agent.stop();
    data.destroy();
    await cloud.stop();
  };
  return { clock, agent, data, metered, reported, close };
}

describe('luminaire agent against the local IoT Core stand-in', () => {
  it('is metered one message for a plan delivered to it: its delta at QoS 0, no PUBACK, no /documents copy', async () => {
    const { agent, data, metered, reported, close } = await meteredAgent();
    try {
      await until(async () => (await reported()) !== undefined, 'first report after the GETs');
      const before = metered.length;
      const plan = evening();
      await writeDesired(agent.thingName, 'plan', { plan }, data);
      await until(async () => (await reported())?.planHash === plan.h, 'plan acknowledged');
      await new Promise((resolve) => setTimeout(resolve, 200));
      // The delta delivered, then the agent's own report of the plan hash on its classic shadow.
      expect(metered.slice(before)).toHaveLength(2);
      expect(metered).not.toContain(PUBACK_METERED_BYTES);
    } finally {
      await close();
    }
  });

  it('is metered one message for a boost: its delta, no classic shadow report at its start nor its end', async () => {
    const { clock, agent, data, metered, reported, close } = await meteredAgent();
    try {
      await until(async () => (await reported()) !== undefined, 'first report after the GETs');
      const before = metered.length;
      await writeDesired(agent.thingName, 'boost', { boost: { l: 100, u: T0 + 120, f: 3 } }, data);
      await until(() => agent.snapshot().reason === 'boost', 'boost applied');
      clock.advance(121);
      expect(agent.snapshot().reason).not.toBe('boost');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(metered.slice(before)).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it('applies a plan at the planned times, tells its levels by telemetry and its classic shadow only the plan applied', async () => {
    const { clock, agent, received, data, close } = await agentWithTelemetry();
    try {
      const plan = evening();
      await writeDesired(agent.thingName, 'plan', { plan }, data);
      const acknowledged = await until(async () => {
        const doc = await readShadow(agent.thingName, undefined, data);
        return doc.state.reported?.planHash === plan.h ? doc : null;
      }, 'plan acknowledged');
      const changes: number[] = [];
      agent.on('change', (snapshot: AgentSnapshot) => changes.push(snapshot.level));

      clock.advanceTo(T0 + H + 1);
      expect(agent.snapshot()).toMatchObject({ level: 100, reason: 'plan', powerW: 40 });
      clock.advanceTo(T0 + 2 * H + 1);
      expect(agent.snapshot().level).toBe(30);
      expect(changes).toEqual([100, 30]);

      const [step] = await until(() => {
        const at30 = received.filter((m) => m.level === 30);
        return at30.length > 0 ? at30 : null;
      }, 'telemetry at 30 %');
      expect(step).toMatchObject({ planHash: plan.h, faults: [] });
      expect(step?.energyWh).toBeCloseTo(0.5 + 40, 2);
      // The steps wrote nothing more to the classic shadow: it holds the report of the plan applied.
      const after = await readShadow(agent.thingName, undefined, data);
      expect(after.version).toBe(acknowledged.version);
      expect(after.state.reported).toMatchObject({ level: 0, planHash: plan.h });

      // The controller may not update its plan shadow (the policy grants it `get` only there).
      expect((await readShadow(agent.thingName, 'plan', data)).state.reported).toBeUndefined();
    } finally {
      await close();
    }
  });

  it('follows a new plan pushed while online, after it acknowledged the previous one', async () => {
    const { agent, plan: first } = await agentOnEveningPlan(T0 + 3 * H, 30);
    const reportedHash = async () => (await readShadow(agent.thingName)).state.reported?.planHash;
    await until(async () => (await reportedHash()) === first.h, 'ack');
    const second = encodeShadowPlan([{ at: T0, level: 45 }], T0 + 24 * H);
    await writeDesired(agent.thingName, 'plan', { plan: second });
    await until(() => agent.snapshot().planHash === second.h, 'second plan');
    expect(agent.snapshot().level).toBe(45);
    await until(async () => (await reportedHash()) === second.h, 'second plan acknowledged');
  });

  it('raises to a presence boost and reverts by itself when it expires', async () => {
    const { clock, agent } = await agentOnEveningPlan(T0 + 3 * H, 30);

    await writeDesired(agent.thingName, 'boost', { boost: { l: 100, u: T0 + 3 * H + 120, f: 3 } });
    await until(() => agent.snapshot().reason === 'boost', 'boost applied');
    expect(agent.snapshot().level).toBe(100);

    clock.advance(121);
    expect(agent.snapshot()).toMatchObject({ level: 30, reason: 'plan' });
  });

  it('publishes valid telemetry by Basic Ingest with a cumulative counter and increasing seq', async () => {
    const { clock, agent, received, topics, data, close } = await agentWithTelemetry();
    try {
      await writeDesired(agent.thingName, 'plan', { plan: evening() }, data);
      await until(() => agent.snapshot().planHash !== null, 'plan applied');
      clock.advanceTo(T0 + 3 * H);
      await until(() => received.at(-1)?.ts === T0 + 3 * H, 'telemetry up to the last period');
      expect(received.length).toBeGreaterThanOrEqual(12);
      const seqs = received.map((m) => m.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      const energies = received.map((m) => m.energyWh);
      expect(energies).toEqual([...energies].sort((a, b) => a - b));
      expect(received.at(-1)?.energyWh).toBeCloseTo(0.5 + 40 + 12, 1);
      expect([...topics]).toEqual([telemetryTopic(agent.thingName)]);
    } finally {
      await close();
    }
  });

  it('sends telemetry reordered and duplicated when those faults are injected', async () => {
    const { clock, agent, received, close } = await agentWithTelemetry();
    try {
      await until(() => agent.nvm.seq > 0, 'first telemetry after connecting');
      const first = agent.nvm.seq;
      reorderTelemetry(agent);
      clock.advance(30 * 60);
      duplicateTelemetry(agent);
      clock.advance(15 * 60);
      const later = () => received.map((m) => m.seq).filter((seq) => seq > first);
      await until(() => later().length >= 4, 'four messages');
      expect(later()).toEqual([first + 2, first + 1, first + 3, first + 3]);
    } finally {
      await close();
    }
  });

  it('keeps its plan through a network outage and picks up a plan written meanwhile on reconnect', async () => {
    const { clock, agent, plan: first } = await agentOnEveningPlan(T0, 0);

    await agent.goOffline();
    clock.advanceTo(T0 + 2 * H + 1);
    expect(agent.snapshot()).toMatchObject({ online: false, level: 30, planHash: first.h });

    const second = encodeShadowPlan([{ at: T0, level: 60 }], T0 + 24 * H);
    await writeDesired(agent.thingName, 'plan', { plan: second });
    agent.goOnline();
    await until(() => agent.snapshot().planHash === second.h, 'second plan after reconnect');
    expect(agent.snapshot().level).toBe(60);
  });

  it('after a reboot is lit by its astro fallback until it has fetched its plan again', async () => {
    const { agent, plan } = await agentOnEveningPlan(T0 + 4 * H, 30);
    const energy = agent.nvm.energyWh;
    const counterId = agent.nvm.counterId;

    await agent.reboot();
    expect(agent.snapshot()).toMatchObject({ level: 100, reason: 'fallback', planHash: null });
    await until(() => agent.snapshot().planHash === plan.h, 'plan fetched after reboot');
    expect(agent.snapshot().level).toBe(30);
    expect(agent.nvm).toMatchObject({ counterId });
    expect(agent.nvm.energyWh).toBeGreaterThanOrEqual(energy);
  });
});
