import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  IoTClient,
  RegisterCertificateWithoutCACommand,
} from '@aws-sdk/client-iot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deviceFiles } from '#functions/provisioning/device-files.ts';
import { iotDeviceRegistry } from '#functions/provisioning/iot-device-registry.ts';
import { type Device, provisionDevices } from '#functions/provisioning/provision.ts';
import { presenceIngestTopic } from '#protocol/messages/presence.ts';
import { telemetryIngestTopic } from '#protocol/messages/telemetry.ts';
import { ENDPOINT, fakeIot } from './fake-iot.ts';

const TARGETS = {
  luminaire: {
    group: 'lighting-test-luminaires',
    policy: 'lighting-test-luminaire',
    publishTopic: (thing: string) => telemetryIngestTopic('lighting_test_telemetry', thing),
  },
  sensor: {
    group: 'lighting-test-sensors',
    policy: 'lighting-test-sensor',
    publishTopic: (thing: string) => presenceIngestTopic('lighting_test_presence', thing),
  },
};
const DEVICES: Device[] = [
  { thingName: 'L-0001', kind: 'luminaire' },
  { thingName: 'L-0002', kind: 'luminaire' },
  { thingName: 'S-001', kind: 'sensor' },
];

let fake: ReturnType<typeof fakeIot>;
let out: string;
beforeEach(() => {
  fake = fakeIot();
  out = mkdtempSync(join(tmpdir(), 'lighting-provision-'));
});
afterEach(() => fake.iot.restore());

const run = (devices: Device[], dryRun = false) =>
  provisionDevices(devices, {
    registry: iotDeviceRegistry(new IoTClient({ region: 'eu-west-3' })),
    files: deviceFiles(out),
    targets: TARGETS,
    dryRun,
    concurrency: 2,
  });

describe('provisioning devices in AWS IoT', () => {
  it('creates each thing in its group with a certificate carrying the policy of its kind', async () => {
    const { outcomes } = await run(DEVICES);
    expect(outcomes.map((o) => o.problem)).toEqual([undefined, undefined, undefined]);
    expect(fake.iot.commandCalls(CreateThingCommand)).toHaveLength(3);
    expect(fake.iot.commandCalls(CreateKeysAndCertificateCommand)).toHaveLength(3);
    const l1 = fake.things.get('L-0001');
    const s1 = fake.things.get('S-001');
    expect([...(l1?.groups ?? [])]).toEqual(['lighting-test-luminaires']);
    expect([...(s1?.groups ?? [])]).toEqual(['lighting-test-sensors']);
    const [l1Certificate] = [...(l1?.certificates ?? [])];
    const [s1Certificate] = [...(s1?.certificates ?? [])];
    expect([...(fake.certificatePolicies.get(l1Certificate ?? '') ?? [])]).toEqual([
      'lighting-test-luminaire',
    ]);
    expect([...(fake.certificatePolicies.get(s1Certificate ?? '') ?? [])]).toEqual(['lighting-test-sensor']);
  });

  it("writes each device's connection settings, certificate and owner-only private key", async () => {
    await run(DEVICES);
    expect(JSON.parse(readFileSync(join(out, 'L-0001', 'connection.json'), 'utf8'))).toEqual({
      endpoint: ENDPOINT,
      port: 8883,
      thingName: 'L-0001',
      clientId: 'L-0001',
      certificatePath: 'certificate.pem.crt',
      privateKeyPath: 'private.pem.key',
      rootCaPath: '../AmazonRootCA1.pem',
      publishTopic: '$aws/rules/lighting_test_telemetry/lighting/L-0001/telemetry',
    });
    expect(JSON.parse(readFileSync(join(out, 'S-001', 'connection.json'), 'utf8'))).toMatchObject({
      publishTopic: '$aws/rules/lighting_test_presence/lighting/sensors/S-001/presence',
    });
    expect(statSync(join(out, 'L-0001', 'private.pem.key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(out, 'L-0001', 'certificate.arn'), 'utf8').trim()).toBe(
      [...(fake.things.get('L-0001')?.certificates ?? [])][0],
    );
  });

  it('is idempotent: a second run over the same output directory changes nothing', async () => {
    await run(DEVICES);
    fake.iot.resetHistory();
    const { outcomes } = await run(DEVICES);
    expect(outcomes.map((o) => o.steps)).toEqual([[], [], []]);
    expect(fake.writes()).toEqual([]);
  });

  it('resumes a run cut short: only the missing steps are taken', async () => {
    await run([DEVICES[0] as Device]);
    fake.iot.resetHistory();
    const { outcomes } = await run(DEVICES);
    expect(outcomes[0]?.steps).toEqual([]);
    expect(outcomes[1]?.steps).toEqual([
      'create thing',
      'add to thing group lighting-test-luminaires',
      'create certificate and key',
      'attach policy lighting-test-luminaire',
      'attach certificate to thing',
      'write connection.json',
    ]);
    expect(fake.iot.commandCalls(CreateThingCommand)).toHaveLength(2);
  });

  it('in a dry run reports every step and changes neither the registry nor the files', async () => {
    const { outcomes } = await run(DEVICES, true);
    expect(outcomes[2]?.steps).toEqual([
      'create thing',
      'add to thing group lighting-test-sensors',
      'create certificate and key',
      'attach policy lighting-test-sensor',
      'attach certificate to thing',
      'write connection.json',
    ]);
    expect(fake.writes()).toEqual([]);
    expect(readdirSync(out)).toEqual([]);
  });

  it("imports a certificate placed in the device's directory instead of creating one", async () => {
    const pem = '-----BEGIN CERTIFICATE-----\nfrom the manufacturer\n-----END CERTIFICATE-----';
    mkdirSync(join(out, 'L-0001'));
    writeFileSync(join(out, 'L-0001', 'certificate.pem.crt'), pem);
    const { outcomes } = await run([DEVICES[0] as Device]);
    expect(outcomes[0]?.steps).toContain('import certificate.pem.crt');
    expect(fake.iot.commandCalls(RegisterCertificateWithoutCACommand).map((c) => c.args[0].input)).toEqual([
      { certificatePem: pem, status: 'ACTIVE' },
    ]);
    expect(fake.iot.commandCalls(CreateKeysAndCertificateCommand)).toHaveLength(0);
    expect([...(fake.things.get('L-0001')?.certificates ?? [])]).toEqual([
      readFileSync(join(out, 'L-0001', 'certificate.arn'), 'utf8').trim(),
    ]);
  });

  it('refuses to issue a second certificate when the thing has one whose key is not in the output directory', async () => {
    await run([DEVICES[0] as Device]);
    const elsewhere = mkdtempSync(join(tmpdir(), 'lighting-provision-'));
    fake.iot.resetHistory();
    const { outcomes } = await provisionDevices([DEVICES[0] as Device], {
      registry: iotDeviceRegistry(new IoTClient({ region: 'eu-west-3' })),
      files: deviceFiles(elsewhere),
      targets: TARGETS,
      dryRun: false,
      concurrency: 1,
    });
    expect(outcomes[0]?.problem).toMatch(
      /^certificate arn:aws:iot:.*:cert\/\w+ is attached to the thing but its files are not in /,
    );
    expect(fake.iot.commandCalls(CreateKeysAndCertificateCommand)).toHaveLength(0);
  });
});
