import { IoTDataPlaneClient, UpdateThingShadowCommand } from '@aws-sdk/client-iot-data-plane';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IotLocal, LOCAL_CREDENTIALS, LOCAL_REGION, startIotLocal } from '#local-cloud/index.ts';
import { PUBACK_METERED_BYTES } from '#local-cloud/iot/metering.ts';
import { messageSizes, uniqueName } from '../local-clients.ts';

const { metering, sizes: metered } = messageSizes();

let cloud: IotLocal;
let data: IoTDataPlaneClient;

beforeAll(async () => {
  cloud = await startIotLocal({ metering });
  data = new IoTDataPlaneClient({
    endpoint: cloud.httpEndpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
});

afterAll(async () => {
  data.destroy();
  await cloud.stop();
});

/** Messages metered for one cloud-side update's delta delivered to a device subscribed at `qos`. */
async function meteredForOneDelta(qos: 0 | 1): Promise<number[]> {
  const thingName = uniqueName('lamp');
  const client = await mqtt.connectAsync(cloud.mqttUrl, { clientId: thingName, protocolVersion: 4 });
  try {
    const received: string[] = [];
    client.on('message', (topic) => received.push(topic));
    await client.subscribeAsync(`$aws/things/${thingName}/shadow/name/plan/update/delta`, { qos });
    const before = metered.length;
    const payload = new TextEncoder().encode(JSON.stringify({ state: { desired: { level: 40 } } }));
    await data.send(new UpdateThingShadowCommand({ thingName, shadowName: 'plan', payload }));
    await expect.poll(() => received.length).toBe(1);
    // The broker handles a client's packets in order: once a SUBSCRIBE sent after the delivery is
    // acknowledged, a PUBACK the client sent for it has been metered, however slow the machine.
    await client.subscribeAsync(`${thingName}/barrier`);
    return metered.slice(before, -1);
  } finally {
    await client.endAsync();
  }
}

describe('IoT Core stand-in: messaging metered as AWS bills it under MQTT 3.1.1', () => {
  it('meters a delivery at QoS 1 as two messages, the device’s PUBACK being one of 5 KB', async () => {
    const messages = await meteredForOneDelta(1);
    expect(messages).toHaveLength(2);
    expect(messages[1]).toBe(PUBACK_METERED_BYTES);
  });

  it('meters a delivery at QoS 0 as one message', async () => {
    const messages = await meteredForOneDelta(0);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toBeLessThan(PUBACK_METERED_BYTES);
  });
});
