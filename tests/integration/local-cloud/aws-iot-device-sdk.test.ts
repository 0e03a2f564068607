import { IoTDataPlaneClient, UpdateThingShadowCommand } from '@aws-sdk/client-iot-data-plane';
import { thingShadow } from 'aws-iot-device-sdk';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IotLocal, LOCAL_CREDENTIALS, LOCAL_REGION, startIotLocal } from '#local-cloud/index.ts';
import { makeTestCertificates, type TestCertificates } from './test-certificates.ts';

/**
 * AWS's own device SDK (aws-iot-device-sdk v1) against the stand-in. It only speaks MQTT over mutual
 * TLS (X.509 device certificates, as against AWS IoT Core) or over SigV4 WebSockets, so the
 * stand-in gets a TLS listener with a certificate authority made for this test.
 */
let certificates: TestCertificates;
let iot: IotLocal;
let port: number;

beforeAll(async () => {
  certificates = makeTestCertificates();
  iot = await startIotLocal({
    mqttTls: { key: certificates.serverKey, cert: certificates.serverCert, ca: certificates.caCert },
  });
  port = Number(new URL(iot.mqttsUrl ?? '').port);
});
afterAll(() => iot.stop());

function device(thingName: string) {
  const shadows = new thingShadow({
    host: '127.0.0.1',
    port,
    protocol: 'mqtts',
    clientId: thingName,
    privateKey: certificates.deviceKey,
    clientCert: certificates.deviceCert,
    caCert: certificates.caCert,
    // The SDK's 10 s for an answer, which a loaded machine can take, would end in a 'timeout' status.
    operationTimeout: 60_000,
  });
  const statuses: { status: string; token: string; document: Record<string, unknown> }[] = [];
  const deltas: Record<string, unknown>[] = [];
  shadows.on('status', (_thing: string, status: string, token: string, document: Record<string, unknown>) =>
    statuses.push({ status, token, document }),
  );
  shadows.on('delta', (_thing: string, document: Record<string, unknown>) => deltas.push(document));
  const registered = new Promise<void>((resolve, reject) => {
    shadows.once('connect', () =>
      shadows.register(thingName, { ignoreDeltas: false }, (error) => (error ? reject(error) : resolve())),
    );
  });
  const statusOf = (token: string | null) =>
    expect.poll(() => statuses.find((entry) => entry.token === token));
  return { shadows, registered, statusOf, deltas };
}

describe('aws-iot-device-sdk (v1) thingShadow against the stand-in over mutual TLS', () => {
  it('registers, updates, gets and receives a cloud-side delta', async () => {
    const { shadows, registered, statusOf, deltas } = device('L-sdk-1');
    try {
      await registered;
      const updateToken = shadows.update('L-sdk-1', { state: { reported: { level: 42 } } });
      await statusOf(updateToken).toMatchObject({
        status: 'accepted',
        document: { state: { reported: { level: 42 } }, version: 1 },
      });

      const getToken = shadows.get('L-sdk-1');
      await statusOf(getToken).toMatchObject({
        status: 'accepted',
        document: { state: { reported: { level: 42 } } },
      });

      const cloud = new IoTDataPlaneClient({
        endpoint: iot.httpEndpoint,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
      });
      await cloud.send(
        new UpdateThingShadowCommand({
          thingName: 'L-sdk-1',
          payload: Buffer.from('{"state":{"desired":{"level":70}}}'),
        }),
      );
      await expect.poll(() => deltas.at(-1)).toMatchObject({ state: { level: 70 }, version: 2 });
    } finally {
      shadows.end(true);
    }
  });

  it('accepts device certificates of its authority only, like AWS IoT Core', async () => {
    const options = (key: Buffer, cert: Buffer) => ({
      protocolVersion: 4 as const,
      reconnectPeriod: 0,
      // Refused at once by the TLS handshake; accepted within seconds, however loaded the machine.
      connectTimeout: 60_000,
      ca: certificates.caCert,
      key,
      cert,
    });
    const attempt = (key: Buffer, cert: Buffer) =>
      new Promise<string>((resolve) => {
        const client = mqtt.connect(iot.mqttsUrl ?? '', options(key, cert));
        const settle = (outcome: string) => {
          client.end(true);
          resolve(outcome);
        };
        client.once('connect', () => settle('connected'));
        client.once('error', () => settle('refused'));
        client.once('close', () => settle('refused'));
      });
    expect(await attempt(certificates.deviceKey, certificates.deviceCert)).toBe('connected');
    expect(await attempt(certificates.strangerKey, certificates.strangerCert)).toBe('refused');
  });
});
