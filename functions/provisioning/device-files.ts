import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IssuedCertificate } from './device-registry.ts';

/** What a device's controller needs to connect: written as `<out>/<thing>/connection.json`. */
export interface ConnectionSettings {
  readonly endpoint: string;
  readonly port: 8883;
  readonly thingName: string;
  /** IoT policies allow a device to connect only with its thing name as client id. */
  readonly clientId: string;
  readonly certificatePath: string;
  readonly privateKeyPath: string;
  /** Amazon Root CA 1, shared by all devices, in the output directory. */
  readonly rootCaPath: string;
  readonly publishTopic: string;
}

export interface LocalCredentials {
  readonly certificateArn?: string;
  /** A certificate placed here without an ARN is one to import (made by the manufacturer). */
  readonly certificatePem?: string;
}

export const FILES = {
  certificate: 'certificate.pem.crt',
  privateKey: 'private.pem.key',
  certificateArn: 'certificate.arn',
  connection: 'connection.json',
  rootCa: 'AmazonRootCA1.pem',
} as const;

/** One directory per device under `outDir`; the private key is readable by its owner only. */
export function deviceFiles(outDir: string) {
  const dir = (thingName: string) => join(outDir, thingName);
  const readOptional = async (path: string) => {
    try {
      return (await readFile(path, 'utf8')).trim();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };
  return {
    directory: dir,
    async read(thingName: string): Promise<LocalCredentials> {
      const [certificateArn, certificatePem] = await Promise.all([
        readOptional(join(dir(thingName), FILES.certificateArn)),
        readOptional(join(dir(thingName), FILES.certificate)),
      ]);
      return { certificateArn, certificatePem };
    },
    async writeCertificate(thingName: string, certificate: IssuedCertificate): Promise<void> {
      await mkdir(dir(thingName), { recursive: true });
      await writeFile(join(dir(thingName), FILES.privateKey), certificate.privateKey, { mode: 0o600 });
      await writeFile(join(dir(thingName), FILES.certificate), certificate.pem);
      await writeFile(join(dir(thingName), FILES.certificateArn), `${certificate.arn}\n`);
    },
    async writeCertificateArn(thingName: string, arn: string): Promise<void> {
      await writeFile(join(dir(thingName), FILES.certificateArn), `${arn}\n`);
    },
    async connectionIsCurrent(thingName: string, settings: ConnectionSettings): Promise<boolean> {
      return (await readOptional(join(dir(thingName), FILES.connection))) === serialize(settings).trim();
    },
    async writeConnection(thingName: string, settings: ConnectionSettings): Promise<void> {
      await mkdir(dir(thingName), { recursive: true });
      await writeFile(join(dir(thingName), FILES.connection), serialize(settings));
    },
  };
}
export type DeviceFiles = ReturnType<typeof deviceFiles>;

const serialize = (settings: ConnectionSettings) => `${JSON.stringify(settings, null, 2)}\n`;
