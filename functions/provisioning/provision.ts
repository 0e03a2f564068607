import type { ConnectionSettings, DeviceFiles } from './device-files.ts';
import { FILES } from './device-files.ts';
import type { DeviceRegistry } from './device-registry.ts';

export type DeviceKind = 'luminaire' | 'sensor';

export interface Device {
  readonly thingName: string;
  readonly kind: DeviceKind;
}

/** Where a kind of device goes: its thing group and the IoT policy its certificate gets. */
export interface KindTarget {
  readonly group: string;
  readonly policy: string;
  /** Where the device publishes (written to its connection file): a luminaire's telemetry goes to the stage's rule by Basic Ingest. */
  readonly publishTopic: (thingName: string) => string;
}

export interface ProvisionOptions {
  readonly registry: DeviceRegistry;
  readonly files: DeviceFiles;
  readonly targets: Record<DeviceKind, KindTarget>;
  /** Only look: report the steps a real run would take, change nothing (registry or files). */
  readonly dryRun: boolean;
  /** Devices provisioned at once; the IoT control plane allows ~10-15 writes/s per API. */
  readonly concurrency: number;
}

export interface DeviceOutcome {
  readonly thingName: string;
  /** Steps taken (or, in a dry run, that would be taken); empty when the device was up to date. */
  readonly steps: string[];
  /** Why the device could not be provisioned (or an AWS error); its other steps were not taken. */
  readonly problem?: string;
}

export const STEP = {
  createThing: 'create thing',
  addToGroup: (group: string) => `add to thing group ${group}`,
  createCertificate: 'create certificate and key',
  importCertificate: `import ${FILES.certificate}`,
  attachPolicy: (policy: string) => `attach policy ${policy}`,
  attachCertificate: 'attach certificate to thing',
  writeConnection: `write ${FILES.connection}`,
} as const;

/**
 * Registers devices in AWS IoT, idempotently: each step first checks whether it is already done
 * (thing, group membership, certificate, policy, attachment, connection file), so a second run
 * over the same inventory and output directory changes nothing and a run cut short resumes.
 */
export async function provisionDevices(
  devices: readonly Device[],
  options: ProvisionOptions,
): Promise<{ endpoint: string; outcomes: DeviceOutcome[] }> {
  const endpoint = await options.registry.dataEndpoint();
  const outcomes: DeviceOutcome[] = new Array(devices.length);
  let next = 0;
  const worker = async () => {
    while (next < devices.length) {
      const index = next++;
      const device = devices[index] as Device;
      outcomes[index] = await provisionDevice(device, endpoint, options).catch((error: Error) => ({
        thingName: device.thingName,
        steps: [],
        problem: `${error.name}: ${error.message}`,
      }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, devices.length) }, worker));
  return { endpoint, outcomes };
}

async function provisionDevice(
  device: Device,
  endpoint: string,
  options: ProvisionOptions,
): Promise<DeviceOutcome> {
  const { registry, files, dryRun } = options;
  const target = options.targets[device.kind];
  const name = device.thingName;
  const steps: string[] = [];
  const step = async (description: string, run: () => Promise<void>) => {
    steps.push(description);
    if (!dryRun) await run();
  };

  const exists = await registry.thingExists(name);
  if (!exists) await step(STEP.createThing, () => registry.createThing(name));
  const groups = exists ? await registry.thingGroups(name) : [];
  if (!groups.includes(target.group)) {
    await step(STEP.addToGroup(target.group), () => registry.addToGroup(name, target.group));
  }

  const attached = exists ? await registry.thingCertificates(name) : [];
  const local = await files.read(name);
  let certificateArn = local.certificateArn;
  if (certificateArn === undefined) {
    if (attached.length > 0) {
      return {
        thingName: name,
        steps,
        problem: `certificate ${attached[0]} is attached to the thing but its files are not in ${files.directory(name)}: restore them, or detach and revoke that certificate`,
      };
    }
    const pem = local.certificatePem;
    if (pem !== undefined) {
      await step(STEP.importCertificate, async () => {
        certificateArn = await registry.importCertificate(pem);
        await files.writeCertificateArn(name, certificateArn);
      });
    } else {
      await step(STEP.createCertificate, async () => {
        const issued = await registry.createCertificate();
        certificateArn = issued.arn;
        await files.writeCertificate(name, issued);
      });
    }
  }

  const policies = certificateArn === undefined ? [] : await registry.certificatePolicies(certificateArn);
  if (!policies.includes(target.policy)) {
    await step(STEP.attachPolicy(target.policy), () =>
      registry.attachPolicy(target.policy, certificateArn as string),
    );
  }
  if (certificateArn === undefined || !attached.includes(certificateArn)) {
    await step(STEP.attachCertificate, () => registry.attachCertificate(name, certificateArn as string));
  }

  const settings: ConnectionSettings = {
    endpoint,
    port: 8883,
    thingName: name,
    clientId: name,
    certificatePath: FILES.certificate,
    privateKeyPath: FILES.privateKey,
    rootCaPath: `../${FILES.rootCa}`,
    publishTopic: target.publishTopic(name),
  };
  if (!(await files.connectionIsCurrent(name, settings))) {
    await step(STEP.writeConnection, () => files.writeConnection(name, settings));
  }
  return { thingName: name, steps };
}
