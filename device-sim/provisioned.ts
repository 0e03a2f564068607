import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { describe } from './luminaire/shadow-messages.ts';
import type { DeviceTls } from './mqtt-connection.ts';

/**
 * Device credentials as `lighting provision` writes them: `<outDir>/<thing>/connection.json` with
 * the certificate, private key and Amazon root CA paths relative to that file. This is how the
 * simulated fleet connects to a real AWS IoT Core endpoint with the devices' own certificates.
 */
const ConnectionFile = z.object({
  endpoint: z.string().min(1),
  port: z.number().int().min(1).max(65_535),
  clientId: z.string().min(1),
  certificatePath: z.string().min(1),
  privateKeyPath: z.string().min(1),
  rootCaPath: z.string().min(1),
});

export interface ProvisionedDevice {
  /** `mqtts://<endpoint>:<port>` */
  readonly mqttUrl: string;
  readonly clientId: string;
  readonly tls: DeviceTls;
}

export function readProvisionedDevice(outDir: string, thingName: string): ProvisionedDevice {
  const file = join(resolve(outDir), thingName, 'connection.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  const parsed = ConnectionFile.safeParse(raw);
  if (!parsed.success) throw new Error(`${file}: ${describe(parsed.error)}`);
  const settings = parsed.data;
  const read = (path: string) => readFileSync(resolve(dirname(file), path));
  return {
    mqttUrl: `mqtts://${settings.endpoint}:${settings.port}`,
    clientId: settings.clientId,
    tls: {
      cert: read(settings.certificatePath),
      key: read(settings.privateKeyPath),
      ca: read(settings.rootCaPath),
    },
  };
}

/** `tlsFor` of startFleet: each device's own certificate from the provisioning output. */
export const provisionedTls =
  (outDir: string) =>
  (thingName: string): DeviceTls =>
    readProvisionedDevice(outDir, thingName).tls;
