import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';
import { Aedes } from 'aedes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../device-sim/clock.ts';
import { LuminaireAgent } from '../../../device-sim/luminaire/agent.ts';
import { Luminaire } from '../../../schedules/inventory/schema.ts';

/**
 * The agent's TLS path, as used against AWS IoT Core: mutual TLS with an X.509 device certificate
 * (CN = thing name) signed by a CA the broker trusts. The certificates in ./tls are test-only,
 * valid for 100 years; the broker is a bare aedes behind a TLS server that demands client certs.
 */
const pem = (name: string) => readFileSync(new URL(`./tls/${name}`, import.meta.url));

let url: string;
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
  url = `mqtts://127.0.0.1:${(server.address() as AddressInfo).port}`;
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

describe('luminaire agent over mutual TLS', () => {
  it('connects with its X.509 certificate and asks for its shadows, with the same code as over TCP', async () => {
    const agent = new LuminaireAgent({
      luminaire,
      mqttUrl: url,
      tls: { cert: pem('device.pem'), key: pem('device.key'), ca: pem('ca.pem') },
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
