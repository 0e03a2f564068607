import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetThingShadowCommand,
  IoTDataPlaneClient,
  UpdateThingShadowCommand,
} from '@aws-sdk/client-iot-data-plane';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type IotLocal,
  type IotLocalOptions,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  startIotLocal,
} from '#local-cloud/index.ts';

/**
 * Stand-ins of their own (cheap: no Java) for what the shared one cannot show: limits switched on,
 * a restart with a data directory, and the in-process publish/subscribe API.
 */
const running: IotLocal[] = [];
const directories: string[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((iot) => iot.stop()));
  for (const dir of directories.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function standIn(options: IotLocalOptions = {}) {
  const iot = await startIotLocal(options);
  running.push(iot);
  const client = new IoTDataPlaneClient({
    endpoint: iot.httpEndpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  const update = (thingName: string, state: unknown) =>
    client.send(new UpdateThingShadowCommand({ thingName, payload: Buffer.from(JSON.stringify({ state })) }));
  const get = async (thingName: string) =>
    JSON.parse(
      Buffer.from((await client.send(new GetThingShadowCommand({ thingName }))).payload ?? []).toString(),
    );
  return { iot, update, get };
}

function temporaryDirectory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'iot-local-'));
  directories.push(dir);
  return dir;
}

/**
 * Sends `count` requests at once. The buckets refill while the burst is in flight (slowly, on a
 * loaded machine), so the number admitted is bounded by the limit plus the refill over that time.
 */
async function burst(count: number, send: (i: number) => Promise<unknown>) {
  const started = performance.now();
  const results = await Promise.allSettled(Array.from({ length: count }, (_, i) => send(i)));
  const seconds = (performance.now() - started) / 1000;
  const rejected = results
    .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    .map((r) => r.reason);
  return { admitted: count - rejected.length, rejected, seconds };
}

describe('IoT Core stand-in limits', () => {
  it('answers 429 ThrottlingException over HTTP beyond 20 requests per second on one thing', async () => {
    const { update } = await standIn({ limits: { perThing: 20 } });
    const { admitted, rejected, seconds } = await burst(100, (i) => update('L-1', { desired: { i } }));
    expect(admitted).toBeGreaterThanOrEqual(20);
    expect(admitted).toBeLessThanOrEqual(20 + Math.ceil(20 * seconds));
    expect(rejected[0]).toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 429 } });
    await expect(update('L-2', { desired: { i: 0 } })).resolves.toBeDefined();
  });

  it('applies the account-wide limit across things', async () => {
    const { update } = await standIn({ limits: { account: 10 } });
    const { admitted, rejected, seconds } = await burst(100, (i) => update(`L-${i}`, { desired: { i } }));
    expect(admitted).toBeGreaterThanOrEqual(10);
    expect(admitted).toBeLessThanOrEqual(10 + Math.ceil(10 * seconds));
    expect(rejected[0]).toMatchObject({ name: 'ThrottlingException' });
  });
});

describe('IoT Core stand-in persistence', () => {
  it('keeps shadows and their versions across a restart with the same data directory', async () => {
    const dataDir = temporaryDirectory();
    const first = await standIn({ dataDir });
    await first.update('L-7', { desired: { level: 70 } });
    await first.update('L-7', { reported: { level: 70 } });
    await first.iot.stop();
    running.splice(running.indexOf(first.iot), 1);
    expect(JSON.parse(readFileSync(join(dataDir, 'shadows.json'), 'utf8')).format).toBe(1);

    const second = await standIn({ dataDir });
    expect(await second.get('L-7')).toMatchObject({
      state: { desired: { level: 70 }, reported: { level: 70 } },
      version: 2,
    });
  });

  it('keeps nothing without a data directory', async () => {
    const first = await standIn();
    await first.update('L-8', { desired: { level: 1 } });
    const second = await standIn();
    await expect(second.get('L-8')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('IoT Core stand-in in-process API', () => {
  it('delivers device messages to in-process subscribers and in-process publishes to devices', async () => {
    const { iot } = await standIn();
    const seen: string[] = [];
    const unsubscribe = await iot.subscribe('lighting/+/telemetry', (topic, payload) => {
      seen.push(`${topic} ${payload.toString()}`);
    });
    const device = await mqtt.connectAsync(iot.mqttUrl, { protocolVersion: 4, reconnectPeriod: 0 });
    const delivered: string[] = [];
    device.on('message', (topic) => delivered.push(topic));
    await device.subscribeAsync('lighting/sensors/+/presence');
    await device.publishAsync('lighting/L-1/telemetry', '{"energyWh":1}', { qos: 1 });
    await iot.publish('lighting/sensors/S-1/presence', '{"at":1}');
    await expect.poll(() => seen).toEqual(['lighting/L-1/telemetry {"energyWh":1}']);
    await expect.poll(() => delivered).toEqual(['lighting/sensors/S-1/presence']);

    await unsubscribe();
    await device.publishAsync('lighting/L-1/telemetry', '{"energyWh":2}', { qos: 1 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).toHaveLength(1);
    await device.endAsync();
  });

  it('hands a Basic Ingest message to its rule with the topic the rule sees, and to no subscriber', async () => {
    const { iot } = await standIn();
    const ruled: string[] = [];
    const stop = iot.routeRule('lighting_local_telemetry', (topic, payload) => {
      ruled.push(`${topic} ${payload.toString()}`);
    });
    const subscribed: string[] = [];
    await iot.subscribe('$aws/rules/#', (topic) => {
      subscribed.push(topic);
    });
    await iot.subscribe('lighting/+/telemetry', (topic) => {
      subscribed.push(topic);
    });
    const listener = await mqtt.connectAsync(iot.mqttUrl, { protocolVersion: 4, reconnectPeriod: 0 });
    listener.on('message', (topic) => subscribed.push(topic));
    await listener.subscribeAsync(['$aws/rules/#', 'lighting/#']);
    const device = await mqtt.connectAsync(iot.mqttUrl, { protocolVersion: 4, reconnectPeriod: 0 });
    await device.publishAsync('$aws/rules/lighting_local_telemetry/lighting/L-1/telemetry', '{"seq":1}', {
      qos: 1,
    });
    await device.publishAsync('$aws/rules/other_rule/lighting/L-1/telemetry', '{"seq":2}', { qos: 1 });
    await expect.poll(() => ruled).toEqual(['lighting/L-1/telemetry {"seq":1}']);

    stop();
    await device.publishAsync('$aws/rules/lighting_local_telemetry/lighting/L-1/telemetry', '{"seq":3}', {
      qos: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ruled).toHaveLength(1);
    expect(subscribed).toEqual([]);
    await Promise.all([device.endAsync(), listener.endAsync()]);
  });

  it('serves a shadow request published in-process like one from a device', async () => {
    const { iot, get } = await standIn();
    await iot.publish('$aws/things/L-9/shadow/update', JSON.stringify({ state: { reported: { level: 9 } } }));
    await expect.poll(async () => (await get('L-9')).state).toEqual({ reported: { level: 9 } });
  });
});
