/**
 * Presence latency on the local cloud: a sensor publishes a detection over MQTT, the presence IoT
 * rule (the deployed SQL, evaluated by the local rule runner's compiler) invokes the presence handler,
 * which writes the `boost` shadows through the IoT data-plane HTTP API; the time is taken when a
 * device-sim controller has applied the boost. Next to it, the broker's own round trip (publish ->
 * a subscriber receives) is the floor no detection can beat.
 *
 * Prints one line:
 * `presence: detection -> boost applied p50 <a> ms, p95 <b> ms over <N> detections; broker round trip p50 <c> ms, p95 <d> ms`
 * Each detection reaches one controller (sensors 1 km apart) with no boost in force (the shared
 * simulated clock moves past the hold time between rounds), so every detection is a shadow update.
 * Flags (environment): BENCH_DETECTIONS (1000), BENCH_SENSORS (20).
 */
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import mqtt from 'mqtt';
import { ManualClock } from '#device-sim/clock.ts';
import { LuminaireAgent } from '#device-sim/luminaire/agent.ts';
import { planPusherOf } from '#functions/plan-push/plan-pusher.ts';
import { wire } from '#functions/presence/handler.ts';
import { documentClientFor } from '#functions/shared/clients.ts';
import { logger } from '#functions/shared/logger.ts';
import { makePlatform } from '#functions/shared/wiring.ts';
import { createTables } from '#functions/store/index.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startLocalCloud } from '#local-cloud/index.ts';
import { compileRule } from '#local-runtime/iot-rules.ts';
import { PRESENCE_RULE_SQL, presenceTopic } from '#protocol/messages/presence.ts';
import { type Config, formatProblem, parseConfig } from '#schedules/index.ts';
import { Luminaire } from '#schedules/inventory/schema.ts';

const DETECTIONS = Number(process.env.BENCH_DETECTIONS ?? 1_000);
const SENSORS = Number(process.env.BENCH_SENSORS ?? 20);
/** 2026-06-21 22:45 Paris: residential streets are at 70 %, a boost raises them to 100 %. */
const START = Date.parse('2026-06-21T20:45:00Z') / 1000;

const CONFIG_FILE = 'examples/carcassonne/config.json';
const parsed = parseConfig(JSON.parse(readFileSync(CONFIG_FILE, 'utf8')), CONFIG_FILE);
if (!parsed.ok) throw new Error(parsed.problems.map(formatProblem).join('\n'));
/** The Carcassonne site, with a presence radius that reaches only the luminaire at the sensor. */
const config: Config = {
  ...parsed.value,
  presence: { ...parsed.value.presence, radiusMeters: 40, sameStreet: false },
};

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const figures = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms`;
};

logger.setLogLevel('SILENT');
const cloud = await startLocalCloud();
const closers: (() => Promise<unknown>)[] = [];
try {
  const raw = new DynamoDBClient({
    endpoint: cloud.dynamoEndpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  await createTables(raw, { main: 'presence-main', telemetry: 'presence-telemetry' });
  const clock = new ManualClock(START);
  const platform = makePlatform({
    db: documentClientFor(raw),
    iot: new IoTDataPlaneClient({
      endpoint: cloud.iotHttpEndpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
    }),
    tableName: 'presence-main',
    telemetryTableName: 'presence-telemetry',
    site: 'bench',
    now: () => clock.now(),
  });
  const { stores } = platform;
  const luminaires = Array.from({ length: SENSORS }, (_, i) =>
    Luminaire.parse({
      id: `P-${i}`,
      lat: 43.2 + i * 0.01,
      lon: 2.35,
      street: `Rue ${i}`,
      zone: 'bench',
      ledWatts: 40,
      baselineWatts: 150,
    }),
  );
  await stores.config.replace(config);
  await stores.luminaires.put(luminaires);
  // Sensor S-i stands at luminaire P-i (the inventory places detections, not the message).
  await stores.sensors.put(
    luminaires.map(({ lat, lon, street, zone }, i) => ({ id: `S-${i}`, lat, lon, street, zone })),
  );
  const agents = luminaires.map(
    (luminaire) => new LuminaireAgent({ luminaire, mqttUrl: cloud.mqttUrl, clock, log: () => {} }),
  );
  closers.push(...agents.map((agent) => () => agent.stop()));
  await Promise.all(agents.map((agent) => agent.start()));
  await planPusherOf(platform).pushLuminaires(
    luminaires.map((l) => l.id),
    'bench',
  );
  while (!agents.every((agent) => agent.snapshot().level === 70)) await new Promise((r) => setTimeout(r, 20));

  // The presence rule, as `npm start` runs it: the broker's subscription, the rule SQL, the wired handler.
  const handler = wire(platform);
  const rule = compileRule(PRESENCE_RULE_SQL);
  closers.push(
    await cloud.iot.subscribe(rule.topicFilter, async (topic, payload) => {
      const event = rule.toEvent(topic, Buffer.from(payload), Math.round(clock.now() * 1000));
      if (event !== undefined) await handler(event);
    }),
  );

  const sensor = await mqtt.connectAsync(cloud.mqttUrl, { protocolVersion: 4 });
  closers.push(() => sensor.endAsync());
  const latencies: number[] = [];
  for (let n = 0; n < DETECTIONS; n++) {
    const index = n % SENSORS;
    if (index === 0 && n > 0) clock.advance(config.presence.holdSeconds + 30);
    const agent = agents[index] as LuminaireAgent;
    const boosted = new Promise<void>((resolve) => {
      const onChange = () => {
        if (agent.snapshot().reason === 'boost') {
          agent.off('change', onChange);
          resolve();
        }
      };
      agent.on('change', onChange);
    });
    const started = performance.now();
    await sensor.publishAsync(
      presenceTopic(`S-${index}`),
      JSON.stringify({ id: `d-${n}`, ts: Math.floor(clock.now()) }),
      { qos: 1 },
    );
    await boosted;
    latencies.push(performance.now() - started);
  }

  const listener = await mqtt.connectAsync(cloud.mqttUrl, { protocolVersion: 4 });
  closers.push(() => listener.endAsync());
  await listener.subscribeAsync('bench/ping', { qos: 1 });
  const roundTrips: number[] = [];
  for (let n = 0; n < DETECTIONS; n++) {
    const started = performance.now();
    const received = new Promise<void>((resolve) => listener.once('message', () => resolve()));
    await sensor.publishAsync('bench/ping', String(n), { qos: 1 });
    await received;
    roundTrips.push(performance.now() - started);
  }

  console.log(
    `presence: detection -> boost applied ${figures(latencies)} over ${DETECTIONS} detections; ` +
      `broker round trip ${figures(roundTrips)}`,
  );
} finally {
  await Promise.all(closers.map((close) => close()));
  await cloud.stop();
}
