import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '#device-sim/clock.ts';
import { LuminaireAgent } from '#device-sim/luminaire/agent.ts';
import { makePlanPusher } from '#functions/plan-push/plan-pusher.ts';
import { makeHandler } from '#functions/presence/handler.ts';
import { makePresenceContext } from '#functions/presence/presence-context.ts';
import { makeSensorLookup } from '#functions/presence/sensor-lookup.ts';
import { startIotLocal } from '#local-cloud/index.ts';
import { compileRule } from '#local-runtime/iot-rules.ts';
import { LOCAL_PRESENCE_RULE, PRESENCE_RULE_SQL, presenceIngestTopic } from '#protocol/messages/presence.ts';
import { testConfig, testLuminaires } from '#tests/support/functions/shared/fixtures.ts';
import { localIotData, uniqueName } from '../local-clients.ts';
import { eventually, localSite } from './local-site.ts';

/** 2026-06-21 23:30 Paris: the street is planned at 70 %. */
const T = Date.parse('2026-06-21T21:30:00Z') / 1000;

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('presence against the local cloud', () => {
  it('a detection boosts the luminaires around where the inventory puts its sensor once, whatever the message claims, and they fall back by themselves', async () => {
    const luminaires = testLuminaires(12, uniqueName('B'));
    // A stand-in of its own, to route the presence rule (the shared one routes none for a test).
    const cloud = await startIotLocal();
    closers.push(() => cloud.stop());
    const site = await localSite(
      testConfig(),
      luminaires,
      localIotData({ endpoint: cloud.httpEndpoint, maxAttempts: 1 }),
    );
    const near = luminaires.slice(0, 3);
    const far = luminaires.at(-1);
    if (far === undefined) throw new Error('no luminaires');
    const clock = new ManualClock(T);
    const agents = [...near, far].map(
      (luminaire) => new LuminaireAgent({ luminaire, mqttUrl: cloud.mqttUrl, clock, log: () => {} }),
    );
    closers.push(...agents.map((agent) => () => agent.stop()));
    await Promise.all(agents.map((agent) => agent.start()));
    await makePlanPusher({ ...site.stores, shadows: site.shadows, now: () => T }).pushLuminaires(
      luminaires.map((l) => l.id),
      'setup',
    );
    await eventually(() => agents.every((agent) => agent.snapshot().level === 70), 'street at 70 %');

    // Each controller's classic shadow, once it reports the plan it applied: a boost writes nothing there.
    const classic = async () =>
      Promise.all(
        near.map(async (luminaire) => {
          const read = await site.shadows.get(luminaire.thingName);
          const doc = (read.ok ? read.value : {}) as { version?: number; state?: { reported?: object } };
          return { version: doc.version, reported: doc.state?.reported };
        }),
      );
    const planned = agents[0]?.snapshot().planHash;
    const acknowledged = await eventually(async () => {
      const docs = await classic();
      return docs.every((doc) => (doc.reported as { planHash?: string } | undefined)?.planHash === planned)
        ? docs
        : undefined;
    }, 'plans acknowledged in the classic shadows');

    // The IoT rule: sensors publish by Basic Ingest to the presence rule, whose SQL makes the
    // presence handler's event, as the local runtime routes it.
    const sensor = uniqueName('S');
    const first = luminaires[0];
    if (first === undefined) throw new Error('no luminaires');
    await site.stores.sensors.put([
      { id: sensor, lat: first.lat, lon: first.lon, street: first.street, zone: first.zone },
    ]);
    const handler = makeHandler({
      sensorOf: makeSensorLookup(() => site.stores.sensors.listAll()),
      now: () => clock.now(),
      context: makePresenceContext({
        config: () => site.stores.config.load(),
        inventory: () => site.stores.luminaires.listAll(),
        cabinets: () => site.stores.cabinets.listAll(),
      }),
      presence: site.stores.presence,
      shadows: site.shadows,
    });
    const rule = compileRule(PRESENCE_RULE_SQL);
    const results: unknown[] = [];
    cloud.routeRule(LOCAL_PRESENCE_RULE, (topic, payload) => {
      if (!rule.matches(topic)) return;
      const event = rule.toEvent(topic, payload, clock.now() * 1000);
      if (event !== undefined) void handler(event).then((result) => results.push(result));
    });

    const sensorClient = await mqtt.connectAsync(cloud.mqttUrl, { protocolVersion: 4 });
    closers.push(() => sensorClient.endAsync());
    // The message claims the far luminaire's position and another street: the inventory wins.
    const claim = { lat: far.lat, lon: far.lon, street: 'Rue de la Gare' };
    const payload = JSON.stringify({ sensor: 'spoofed', id: 'det-1', ts: T, ...claim });
    site.shadows.updates = 0;
    // QoS 1 may deliver twice: the same detection published twice boosts once.
    const ingest = presenceIngestTopic(LOCAL_PRESENCE_RULE, sensor);
    await sensorClient.publishAsync(ingest, payload, { qos: 1 });
    await sensorClient.publishAsync(ingest, payload, { qos: 1 });
    // A sensor the inventory does not know boosts nothing, wherever it claims to be.
    const rogue = uniqueName('S-rogue');
    await sensorClient.publishAsync(
      presenceIngestTopic(LOCAL_PRESENCE_RULE, rogue),
      JSON.stringify({ sensor: rogue, id: 'det-2', ts: T, ...claim }),
      { qos: 1 },
    );

    // The first delivery loads the inventory (256 shard queries): slow on a busy machine.
    await eventually(() => results.length === 3, 'every delivery handled');
    const nearAgents = agents.slice(0, 3);
    await eventually(
      () => nearAgents.every((agent) => agent.snapshot().reason === 'boost'),
      'near luminaires boosted',
    );
    expect(nearAgents.map((agent) => agent.snapshot().level)).toEqual([100, 100, 100]);
    expect(agents[3]?.snapshot()).toMatchObject({ level: 70, reason: 'plan' });
    expect(results).toContainEqual({ status: 'duplicate', detection: `${sensor}/det-1` });
    expect(results).toContainEqual({
      status: 'dropped',
      detection: `${rogue}/det-2`,
      reason: 'unknown-sensor',
    });
    const boosted = results.find((r) => (r as { status: string }).status === 'processed') as {
      boosted: string[];
    };
    expect(site.shadows.updates).toBe(boosted.boosted.length);

    clock.advance(121);
    expect(nearAgents.map((agent) => agent.snapshot().level)).toEqual([70, 70, 70]);
    // The boost's start and end went by telemetry only: one shadow write each (the boost), no report.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await classic()).toEqual(acknowledged);
  });
});
