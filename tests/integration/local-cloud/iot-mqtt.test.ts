import { GetThingShadowCommand, UpdateThingShadowCommand } from '@aws-sdk/client-iot-data-plane';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { localIotData, localMqttUrl, uniqueName } from '../local-clients.ts';

/** A device connected with the `mqtt` package that records what it receives. */
async function device(clientId = uniqueName('device')) {
  const client = await mqtt.connectAsync(localMqttUrl(), {
    clientId,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  const received: { topic: string; body: Record<string, unknown> }[] = [];
  client.on('message', (topic, payload) => received.push({ topic, body: JSON.parse(payload.toString()) }));
  const next = (topic: string) =>
    expect.poll(() => received.find((message) => message.topic === topic)?.body);
  return { client, received, next };
}

const clients: MqttClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.endAsync(true)));
});

async function connected(clientId?: string) {
  const d = await device(clientId);
  clients.push(d.client);
  return d;
}

describe('IoT Core stand-in over MQTT (mqtt package)', () => {
  it('updates, gets and deletes a classic shadow on the reserved topics', async () => {
    const thing = uniqueName('lamp');
    const prefix = `$aws/things/${thing}/shadow`;
    const { client, next } = await connected();
    await client.subscribeAsync(
      ['update/accepted', 'update/documents', 'get/accepted', 'delete/accepted'].map(
        (op) => `${prefix}/${op}`,
      ),
      { qos: 1 },
    );

    await client.publishAsync(
      `${prefix}/update`,
      JSON.stringify({ state: { reported: { level: 40 } }, clientToken: 'u1' }),
      { qos: 1 },
    );
    await next(`${prefix}/update/accepted`).toMatchObject({
      state: { reported: { level: 40 } },
      version: 1,
      clientToken: 'u1',
    });
    await next(`${prefix}/update/documents`).toMatchObject({ previous: null, current: { version: 1 } });

    await client.publishAsync(`${prefix}/get`, JSON.stringify({ clientToken: 'g1' }));
    await next(`${prefix}/get/accepted`).toMatchObject({
      state: { reported: { level: 40 } },
      clientToken: 'g1',
    });

    await client.publishAsync(`${prefix}/delete`, '');
    await next(`${prefix}/delete/accepted`).toEqual({ version: 1, timestamp: expect.any(Number) });
  });

  it('delivers the delta of a cloud-side update to the device subscribed to its named shadow', async () => {
    const thing = uniqueName('lamp');
    const prefix = `$aws/things/${thing}/shadow/name/plan`;
    const { client, next } = await connected(thing);
    await client.subscribeAsync(`${prefix}/update/delta`, { qos: 1 });

    const iot = localIotData();
    const plan = { h: 'abc', t0: 1_790_000_000, s: [0, 100, 3600, 70], until: 1_790_100_000 };
    await iot.send(
      new UpdateThingShadowCommand({
        thingName: thing,
        shadowName: 'plan',
        payload: Buffer.from(JSON.stringify({ state: { desired: { plan } }, clientToken: 'push-1' })),
      }),
    );
    await next(`${prefix}/update/delta`).toMatchObject({
      state: { plan },
      version: 1,
      clientToken: 'push-1',
    });
  });

  it('rejects bad updates on /update/rejected with the AWS error document and stores nothing', async () => {
    const thing = uniqueName('lamp');
    const prefix = `$aws/things/${thing}/shadow`;
    const iot = localIotData();
    await iot.send(
      new UpdateThingShadowCommand({
        thingName: thing,
        payload: Buffer.from('{"state":{"desired":{"level":30}}}'),
      }),
    );
    const { client, received } = await connected();
    await client.subscribeAsync(`${prefix}/update/rejected`);
    const rejections = () =>
      received.filter((m) => m.topic === `${prefix}/update/rejected`).map((m) => m.body);

    await client.publishAsync(
      `${prefix}/update`,
      JSON.stringify({ state: { desired: 'on' }, clientToken: 'bad' }),
    );
    await client.publishAsync(`${prefix}/update`, '{"state": {"desired": {"level": 9}');
    await client.publishAsync(
      `${prefix}/update`,
      JSON.stringify({ state: { desired: { level: 9 } }, version: 7 }),
    );
    await client.publishAsync(
      `${prefix}/update`,
      JSON.stringify({ state: { reported: { log: 'x'.repeat(9000) } }, clientToken: 'big' }),
    );
    await expect.poll(rejections).toEqual([
      {
        code: 400,
        message: 'Desired node must be an object',
        timestamp: expect.any(Number),
        clientToken: 'bad',
      },
      { code: 400, message: 'Invalid JSON', timestamp: expect.any(Number) },
      { code: 409, message: 'Version conflict', timestamp: expect.any(Number) },
      {
        code: 413,
        message: 'The payload exceeds the maximum size allowed',
        timestamp: expect.any(Number),
        clientToken: 'big',
      },
    ]);

    const stored = await iot.send(new GetThingShadowCommand({ thingName: thing }));
    expect(JSON.parse(Buffer.from(stored.payload ?? []).toString())).toMatchObject({
      state: { desired: { level: 30 } },
      version: 1,
    });
  });

  it('answers a /get for a missing shadow on /get/rejected with 404', async () => {
    const thing = uniqueName('lamp');
    const prefix = `$aws/things/${thing}/shadow/name/boost`;
    const { client, next } = await connected();
    await client.subscribeAsync(`${prefix}/get/rejected`);
    await client.publishAsync(`${prefix}/get`, '');
    await next(`${prefix}/get/rejected`).toMatchObject({
      code: 404,
      message: "No shadow exists with name: 'boost'",
    });
  });

  it('disconnects a client that publishes on a reply topic and delivers nothing', async () => {
    const thing = uniqueName('lamp');
    const topic = `$aws/things/${thing}/shadow/update/delta`;
    const listener = await connected();
    await listener.client.subscribeAsync(topic);
    const intruder = await connected();
    const closed = new Promise<void>((resolve) => intruder.client.once('close', () => resolve()));
    intruder.client.publish(topic, JSON.stringify({ state: { level: 100 } }));
    await closed;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(listener.received).toEqual([]);
  });
});
