import { readFile } from 'node:fs/promises';
import { IoTClient } from '@aws-sdk/client-iot';
import { z } from 'zod';
import { deviceFiles } from '#functions/provisioning/device-files.ts';
import { iotDeviceRegistry } from '#functions/provisioning/iot-device-registry.ts';
import {
  type Device,
  type DeviceOutcome,
  provisionDevices,
  STEP,
} from '#functions/provisioning/provision.ts';
import { STAGE_PATTERN, stageNames } from '#infra/names.ts';
import { presenceIngestTopic } from '#protocol/messages/presence.ts';
import { telemetryIngestTopic } from '#protocol/messages/telemetry.ts';
import { hasOwnController, PresenceSensor } from '#schedules/inventory/index.ts';
import { formatProblem, jsonPath, type Parsed } from '#schedules/problem.ts';
import { defineCommand } from '../args.ts';
import { loadInventoryWithCabinets } from '../load-site.ts';

const USAGE = `usage: lighting provision --inventory FILE --stage S --out DIR [--sensors FILE] [--dry-run]
                         [--cabinets FILE] [--region R] [--concurrency N]

Registers the inventory's luminaires with their own controller, the connected cabinets (of
--cabinets, or cabinets.csv next to the inventory) and --sensors' presence sensors in AWS IoT for a deployed
stage: creates each thing in the stage's thing group, creates its certificate and key (or imports
DIR/<thing>/certificate.pem.crt placed there beforehand), attaches the stage's device policy, and
writes DIR/<thing>/connection.json (endpoint, client id, certificate paths, topic). Idempotent: what
exists is reused, so a second run changes nothing. Credentials and region come from the usual AWS
settings (AWS_PROFILE, AWS_REGION) or --region. Devices also need Amazon Root CA 1: save
https://www.amazontrust.com/repository/AmazonRootCA1.pem as DIR/AmazonRootCA1.pem once.
  --dry-run      print what would be done, per device; change nothing
  --concurrency  devices provisioned at once (default 4; IoT control-plane APIs allow ~10 writes/s)
Exit code: 0 done, 1 bad input or a device that could not be provisioned, 2 bad usage.`;

const Flags = z.strictObject({
  inventory: z.string({ error: 'required: the inventory file (.geojson, .json or .csv)' }).min(1),
  stage: z
    .string({ error: 'required: the deployed stage, e.g. test or prod' })
    .regex(STAGE_PATTERN, 'a stage name as deployed: [a-z][a-z0-9-]{0,19}'),
  out: z.string({ error: 'required: the directory for the devices\u2019 certificates and settings' }).min(1),
  sensors: z.string().min(1).optional(),
  cabinets: z.string().min(1).optional(),
  'dry-run': z.boolean().default(false),
  region: z.string().min(1).optional(),
  concurrency: z.coerce.number().int().min(1).max(20).default(4),
});

async function loadSensors(path: string): Promise<Parsed<PresenceSensor[]>> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    return { ok: false, problems: [{ source: path, path: '', message: (error as Error).message }] };
  }
  const parsed = z.array(PresenceSensor).safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => ({
      source: path,
      path: jsonPath(issue.path),
      message: issue.message,
    })),
  };
}

/**
 * Luminaires with their own controller, connected cabinets and sensors as devices; one thing name
 * per device across the files. A connected cabinet speaks the luminaires' protocol (plan shadow,
 * telemetry), so it gets their thing group and policy.
 */
async function loadDevices(
  inventory: string,
  cabinets: string | undefined,
  sensors: string | undefined,
): Promise<Parsed<Device[]>> {
  const [site, sensorList] = await Promise.all([
    loadInventoryWithCabinets(inventory, cabinets),
    sensors === undefined ? Promise.resolve({ ok: true as const, value: [] }) : loadSensors(sensors),
  ]);
  if (!site.ok || !sensorList.ok) {
    return {
      ok: false,
      problems: [...(site.ok ? [] : site.problems), ...(sensorList.ok ? [] : sensorList.problems)],
    };
  }
  const devices: Device[] = [
    ...site.value.luminaires
      .filter(hasOwnController)
      .map((l) => ({ thingName: l.thingName, kind: 'luminaire' as const })),
    ...site.value.cabinets
      .filter((c) => c.controller === 'connected')
      .map((c) => ({ thingName: c.thingName, kind: 'luminaire' as const })),
    ...sensorList.value.map((s) => ({ thingName: s.id, kind: 'sensor' as const })),
  ];
  const seen = new Set<string>();
  const duplicates = devices.filter((d) => seen.size === seen.add(d.thingName).size);
  if (duplicates.length > 0) {
    return {
      ok: false,
      problems: duplicates.map((d) => ({
        source: sensors ?? inventory,
        path: '',
        message: `thing name ${JSON.stringify(d.thingName)} is used by more than one device`,
      })),
    };
  }
  return { ok: true, value: devices };
}

function report(outcomes: readonly DeviceOutcome[], dryRun: boolean): string {
  const changed = outcomes.filter((o) => o.steps.length > 0 && o.problem === undefined);
  const failed = outcomes.filter((o) => o.problem !== undefined);
  const lines = dryRun ? changed.map((o) => `${o.thingName}: would ${o.steps.join('; ')}`) : [];
  const count = (step: string) => outcomes.filter((o) => o.steps.includes(step)).length;
  const verb = dryRun ? 'would change' : 'changed';
  lines.push(
    `${dryRun ? 'dry run: ' : ''}${outcomes.length} devices: ${changed.length} ${verb}, ` +
      `${outcomes.length - changed.length - failed.length} up to date, ${failed.length} failed ` +
      `(things created: ${count(STEP.createThing)}, certificates created: ${count(STEP.createCertificate)})`,
  );
  return `${lines.join('\n')}\n`;
}

export const command = defineCommand({
  name: 'provision',
  summary: 'register luminaires and sensors in AWS IoT (things, certificates, policy, settings)',
  usage: USAGE,
  options: {
    inventory: { type: 'string' },
    stage: { type: 'string' },
    out: { type: 'string' },
    sensors: { type: 'string' },
    cabinets: { type: 'string' },
    'dry-run': { type: 'boolean' },
    region: { type: 'string' },
    concurrency: { type: 'string' },
  },
  flags: Flags,
  async run(flags) {
    const { inventory, cabinets, stage, out, sensors, region, concurrency } = flags;
    const dryRun = flags['dry-run'];
    const devices = await loadDevices(inventory, cabinets, sensors);
    if (!devices.ok) {
      process.stderr.write(`${devices.problems.map(formatProblem).join('\n')}\n`);
      return 1;
    }
    const names = stageNames(stage);
    const iot = new IoTClient({
      ...(region === undefined ? {} : { region }),
      retryMode: 'adaptive',
      maxAttempts: 8,
    });
    let outcomes: DeviceOutcome[];
    try {
      ({ outcomes } = await provisionDevices(devices.value, {
        registry: iotDeviceRegistry(iot),
        files: deviceFiles(out),
        targets: {
          luminaire: {
            group: names.luminaireGroup,
            policy: names.luminairePolicy,
            publishTopic: (thing) => telemetryIngestTopic(names.topicRule('telemetry'), thing),
          },
          sensor: {
            group: names.sensorGroup,
            policy: names.sensorPolicy,
            publishTopic: (sensor) => presenceIngestTopic(names.topicRule('presence'), sensor),
          },
        },
        dryRun,
        concurrency,
      }));
    } catch (error) {
      // Credentials, region or permissions: the first call (the endpoint lookup) fails before any device.
      process.stderr.write(`lighting provision: ${(error as Error).name}: ${(error as Error).message}\n`);
      return 1;
    }
    process.stdout.write(report(outcomes, dryRun));
    const failed = outcomes.filter((o) => o.problem !== undefined);
    for (const o of failed) process.stderr.write(`lighting provision: ${o.thingName}: ${o.problem}\n`);
    return failed.length > 0 ? 1 : 0;
  },
});
