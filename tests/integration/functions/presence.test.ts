import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../device-sim/clock.ts';
import { LuminaireAgent } from '../../../device-sim/luminaire/agent.ts';
import { makePlanPusher } from '../../../functions/plan-push/plan-pusher.ts';
import { makeHandler } from '../../../functions/presence/handler.ts';
import { makePresenceContext } from '../../../functions/presence/presence-context.ts';
import { compileRule } from '../../../local-runtime/iot-rules.ts';
import { PRESENCE_RULE_SQL } from '../../../protocol/iot-rules.ts';
import { presenceTopic } from '../../../protocol/topics.ts';
import { testConfig, testLuminaires } from '../../unit/functions/shared/fixtures.ts';
import { localMqttUrl, uniqueName } from '../local-clients.ts';
import { eventually, localSite } from './local-site.ts';

/** 2026-06-21 23:30 Paris: the street is planned at 70 %. */
const T = Date.parse('2026-06-21T21:30:00Z') / 1000;

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('presence against the local cloud', () => {
  it('a detection published by a sensor boosts the luminaires of the street once, and they fall back by themselves', async () => {
    const luminaires = testLuminaires(12, uniqueName('B'));
    const site = await localSite(testConfig(), luminaires);
    const near = luminaires.slice(0, 3);
    const far = luminaires.at(-1);
    if (far === undefined) throw new Error('no luminaires');
    const clock = new ManualClock(T);
    const agents = [...near, far].map(
      (luminaire) => new LuminaireAgent({ luminaire, mqttUrl: localMqttUrl(), clock, log: () => {} }),
    );
    closers.push(...agents.map((agent) => () => agent.stop()));
    await Promise.all(agents.map((agent) => agent.start()));
    await makePlanPusher({ ...site.stores, shadows: site.shadows, now: () => T }).pushLuminaires(
      luminaires.map((l) => l.id),
      'setup',
    );
    await eventually(() => agents.every((agent) => agent.snapshot().level === 70), 'street at 70 %');

    // The IoT rule: the local broker's presence topic, the rule's SQL, the presence handler.
    const handler = makeHandler({
      context: makePresenceContext({
        config: () => site.stores.config.load(),
        inventory: () => site.stores.luminaires.listAll(),
      }),
      presence: site.stores.presence,
      shadows: site.shadows,
    });
    const rule = compileRule(PRESENCE_RULE_SQL);
    const results: unknown[] = [];
    const ruleClient = await mqtt.connectAsync(localMqttUrl(), { protocolVersion: 4 });
    closers.push(() => ruleClient.endAsync());
    ruleClient.on('message', (topic, payload) => {
      const event = rule.toEvent(topic, payload, Date.now());
      if (event !== undefined) void handler(event).then((result) => results.push(result));
    });
    await ruleClient.subscribeAsync(rule.topicFilter, { qos: 1 });

    const sensor = uniqueName('S');
    const sensorClient = await mqtt.connectAsync(localMqttUrl(), { protocolVersion: 4 });
    closers.push(() => sensorClient.endAsync());
    const first = luminaires[0];
    if (first === undefined) throw new Error('no luminaires');
    const payload = JSON.stringify({
      sensor,
      id: 'det-1',
      ts: T,
      lat: first.lat,
      lon: first.lon,
      street: first.street,
    });
    site.shadows.updates = 0;
    // QoS 1 may deliver twice: the same detection published twice boosts once.
    await sensorClient.publishAsync(presenceTopic(sensor), payload, { qos: 1 });
    await sensorClient.publishAsync(presenceTopic(sensor), payload, { qos: 1 });

    await eventually(() => results.length === 2, 'both deliveries handled');
    const nearAgents = agents.slice(0, 3);
    await eventually(
      () => nearAgents.every((agent) => agent.snapshot().reason === 'boost'),
      'near luminaires boosted',
    );
    expect(nearAgents.map((agent) => agent.snapshot().level)).toEqual([100, 100, 100]);
    expect(agents[3]?.snapshot()).toMatchObject({ level: 70, reason: 'plan' });
    expect(results).toContainEqual({ status: 'duplicate', detection: `${sensor}/det-1` });
    const boosted = results.find((r) => (r as { status: string }).status === 'processed') as {
      boosted: string[];
    };
    expect(site.shadows.updates).toBe(boosted.boosted.length);

    clock.advance(121);
    expect(nearAgents.map((agent) => agent.snapshot().level)).toEqual([70, 70, 70]);
  });
});
