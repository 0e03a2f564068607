import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type TLSSocket } from 'node:tls';
import { Aedes } from 'aedes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '#device-sim/clock.ts';
import { startFleet } from '#device-sim/fleet.ts';
import { LuminaireAgent } from '#device-sim/luminaire/agent.ts';
import { provisionedTls, readProvisionedDevice } from '#device-sim/provisioned.ts';
import { Luminaire } from '#schedules/inventory/schema.ts';

/**
 * The agent's TLS path, as used against AWS IoT Core: mutual TLS with an X.509 device certificate
 * (CN = thing name) signed by a CA the broker trusts. The certificates in ./tls are test-only,
 * valid for 100 years; the broker is a bare aedes behind a TLS server that demands client certs.
 */
const pem = (name: string) => readFileSync(new URL(`./tls/${name}`, import.meta.url));

let url: string;
let port: number;
let close: () => Promise<void>;
const seen: { clientCn: string | undefined; topics: string[] } = { clientCn: undefined, topics: [] };

beforeAll(async () => {
  const broker = await Aedes.createBroker();
  broker.on('publish', (packet) => {
    if (!packet.topic.startsWith('$SYS/')) seen.topics.push(packet.topic);
  });
  const server = createServer(
    {
      key: pem('server.key'),
      cert: pem('server.pem'),
      ca: pem('ca.pem'),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (socket: TLSSocket) => {
      const subject = socket.getPeerCertificate().subject;
      seen.clientCn = typeof subject?.CN === 'string' ? subject.CN : undefined;
      broker.handle(socket);
    },
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
  url = `mqtts://127.0.0.1:${port}`;
  close = async () => {
    server.close();
    await new Promise<void>((resolve) => broker.close(() => resolve()));
  };
});

afterAll(() => close());

const luminaire = Luminaire.parse({
  id: 'L-TLS-0001',
  lat: 43.21,
  lon: 2.35,
  street: 'Rue Longue',
  zone: 'bastide',
  ledWatts: 40,
  baselineWatts: 150,
});

/** The device's files laid out as `lighting provision` writes them. */
function provisioningOutput(connection: object): string {
  const out = mkdtempSync(join(tmpdir(), 'provisioned-'));
  mkdirSync(join(out, 'L-TLS-0001'));
  writeFileSync(join(out, 'AmazonRootCA1.pem'), pem('ca.pem'));
  writeFileSync(join(out, 'L-TLS-0001', 'certificate.pem.crt'), pem('device.pem'));
  writeFileSync(join(out, 'L-TLS-0001', 'private.pem.key'), pem('device.key'));
  writeFileSync(join(out, 'L-TLS-0001', 'connection.json'), JSON.stringify(connection));
  return out;
}

const connection = () => ({
  endpoint: '127.0.0.1',
  port,
  thingName: 'L-TLS-0001',
  clientId: 'L-TLS-0001',
  certificatePath: 'certificate.pem.crt',
  privateKeyPath: 'private.pem.key',
  rootCaPath: '../AmazonRootCA1.pem',
  publishTopic: 'lighting/L-TLS-0001/telemetry',
});

describe('luminaire agent over mutual TLS', () => {
  it('connects with its provisioned X.509 certificate and asks for its shadows, with the same code as over TCP', async () => {
    const out = provisioningOutput(connection());
    const device = readProvisionedDevice(out, 'L-TLS-0001');
    expect(device.mqttUrl).toBe(url);
    const agent = new LuminaireAgent({
      luminaire,
      mqttUrl: device.mqttUrl,
      tls: device.tls,
      clock: new ManualClock(1_782_079_200),
      log: () => {},
    });
    try {
      await agent.start();
      await expect.poll(() => seen.topics).toContain('$aws/things/L-TLS-0001/shadow/name/plan/get');
      expect(seen.topics).toContain('$aws/things/L-TLS-0001/shadow/name/boost/get');
      expect(seen.clientCn).toBe('L-TLS-0001');
    } finally {
      await agent.stop();
      rmSync(out, { recursive: true });
    }
  });

  it('runs a fleet with each device’s own provisioned certificate', async () => {
    const out = provisioningOutput(connection());
    const fleet = await startFleet({
      mqttUrl: url,
      luminaires: [luminaire],
      clock: new ManualClock(1_782_079_200),
      tlsFor: provisionedTls(out),
      agent: { log: () => {} },
    });
    try {
      await expect.poll(() => fleet.stats().connected).toBe(1);
      expect(fleet.stats().failedConnects).toBe(0);
    } finally {
      await fleet.stop();
      rmSync(out, { recursive: true });
    }
  });

  it('names the bad field of a provisioned connection file', () => {
    const out = provisioningOutput({ ...connection(), port: 'eight' });
    try {
      expect(() => readProvisionedDevice(out, 'L-TLS-0001')).toThrow(/connection\.json: port: /);
    } finally {
      rmSync(out, { recursive: true });
    }
  });

  it('refuses an endpoint whose certificate its CA did not sign', async () => {
    const agent = new LuminaireAgent({
      luminaire,
      mqttUrl: url,
      tls: { cert: pem('device.pem'), key: pem('device.key'), ca: pem('device.pem') },
      clock: new ManualClock(1_782_079_200),
      log: () => {},
      reconnectPeriodMs: 60_000,
    });
    try {
      await expect(agent.start()).rejects.toThrow(/certificate|verify/i);
    } finally {
      await agent.stop();
    }
  });
});
