import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  GetThingShadowCommand,
  IoTDataPlaneClient,
  UpdateThingShadowCommand,
} from '@aws-sdk/client-iot-data-plane';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local-cloud/index.ts';
import { makeTestCertificates } from './test-certificates.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function lighting(...args: string[]) {
  const child = spawn(process.execPath, ['bin/lighting.mjs', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const stdout: string[] = [];
  lines.on('line', (line) => stdout.push(line));
  return { child, stdout, stderr: () => stderr };
}

describe('lighting iot-local', () => {
  it('prints one ready line with both URLs, serves shadows, and exits 0 on SIGTERM', async () => {
    const { child, stdout } = lighting(
      'iot-local',
      '--mqtt-port',
      '0',
      '--http-port',
      '0',
      '--per-thing-limit',
      '20',
    );
    await expect.poll(() => stdout.length, { timeout: 30_000 }).toBe(1);
    const ready = /ready mqtt=(mqtt:\/\/127\.0\.0\.1:\d+) http=(http:\/\/127\.0\.0\.1:\d+)/.exec(
      stdout[0] ?? '',
    );
    expect(ready).not.toBeNull();
    const [, mqttUrl = '', endpoint = ''] = ready ?? [];

    const iot = new IoTDataPlaneClient({
      endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
    });
    await iot.send(
      new UpdateThingShadowCommand({
        thingName: 'L-1',
        payload: Buffer.from('{"state":{"desired":{"level":50}}}'),
      }),
    );
    const got = await iot.send(new GetThingShadowCommand({ thingName: 'L-1' }));
    expect(JSON.parse(Buffer.from(got.payload ?? []).toString()).state.desired).toEqual({ level: 50 });
    const device = await mqtt.connectAsync(mqttUrl, { protocolVersion: 4, reconnectPeriod: 0 });
    await device.endAsync();

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    expect(await exited).toEqual([0, null]);
    expect(stdout).toHaveLength(1);
  });

  it('exits 1 naming the address when a port is taken, leaving nothing running', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as AddressInfo;
    try {
      const { child, stderr } = lighting('iot-local', '--mqtt-port', '0', '--http-port', String(port));
      const [code] = await once(child, 'exit');
      expect(code).toBe(1);
      expect(stderr()).toContain(`EADDRINUSE: address already in use 127.0.0.1:${port}`);
    } finally {
      taken.close();
    }
  });

  it('also serves MQTT over mutual TLS when given the three PEM files', async () => {
    const certificates = makeTestCertificates();
    const dir = mkdtempSync(join(tmpdir(), 'iot-local-cli-'));
    try {
      const file = (name: string, content: Buffer) => {
        writeFileSync(join(dir, name), content);
        return join(dir, name);
      };
      const { stdout } = lighting(
        ...['iot-local', '--mqtt-port', '0', '--http-port', '0', '--mqtts-port', '0'],
        ...[
          '--tls-key',
          file('server.key', certificates.serverKey),
          '--tls-cert',
          file('server.pem', certificates.serverCert),
        ],
        ...['--tls-ca', file('ca.pem', certificates.caCert)],
      );
      await expect.poll(() => stdout.length, { timeout: 30_000 }).toBe(1);
      const mqttsUrl = / mqtts=(mqtts:\/\/127\.0\.0\.1:\d+)/.exec(stdout[0] ?? '')?.[1] ?? '';
      const device = await mqtt.connectAsync(mqttsUrl, {
        protocolVersion: 4,
        reconnectPeriod: 0,
        ca: certificates.caCert,
        key: certificates.deviceKey,
        cert: certificates.deviceCert,
      });
      expect(device.connected).toBe(true);
      await device.endAsync();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses TLS flags given in part', async () => {
    const { child, stderr } = lighting('iot-local', '--tls-key', 'package.json');
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr()).toContain('--tls-key: --tls-key, --tls-cert and --tls-ca go together');
  });

  it('rejects a bad flag naming it, with exit code 2', async () => {
    const { child, stderr } = lighting('iot-local', '--mqtt-port', 'abc');
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr()).toContain('--mqtt-port: expected a port number');
  });
});
