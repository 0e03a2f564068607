import {
  AddThingToThingGroupCommand,
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  DescribeEndpointCommand,
  DescribeThingCommand,
  type IoTClient,
  ListAttachedPoliciesCommand,
  ListThingGroupsForThingCommand,
  ListThingPrincipalsCommand,
  RegisterCertificateWithoutCACommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-iot';
import type { DeviceRegistry } from './device-registry.ts';

/** Collects every page of a paginated IoT list call. */
async function allPages<T>(page: (nextToken: string | undefined) => Promise<[T[], string | undefined]>) {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const [pageItems, next] = await page(token);
    items.push(...pageItems);
    token = next;
  } while (token !== undefined);
  return items;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`IoT returned no ${what}`);
  return value;
}

/** The DeviceRegistry port over the AWS IoT control plane. */
export function iotDeviceRegistry(iot: IoTClient): DeviceRegistry {
  return {
    async dataEndpoint() {
      const out = await iot.send(new DescribeEndpointCommand({ endpointType: 'iot:Data-ATS' }));
      return required(out.endpointAddress, 'endpoint address');
    },
    async thingExists(thingName) {
      try {
        await iot.send(new DescribeThingCommand({ thingName }));
        return true;
      } catch (error) {
        if (error instanceof ResourceNotFoundException) return false;
        throw error;
      }
    },
    async createThing(thingName) {
      await iot.send(new CreateThingCommand({ thingName }));
    },
    thingGroups: (thingName) =>
      allPages(async (nextToken) => {
        const out = await iot.send(new ListThingGroupsForThingCommand({ thingName, nextToken }));
        return [
          (out.thingGroups ?? []).flatMap((g) => (g.groupName === undefined ? [] : [g.groupName])),
          out.nextToken,
        ];
      }),
    async addToGroup(thingName, thingGroupName) {
      await iot.send(new AddThingToThingGroupCommand({ thingName, thingGroupName }));
    },
    thingCertificates: (thingName) =>
      allPages(async (nextToken) => {
        const out = await iot.send(new ListThingPrincipalsCommand({ thingName, nextToken }));
        return [(out.principals ?? []).filter((p) => p.includes(':cert/')), out.nextToken];
      }),
    async createCertificate() {
      const out = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
      return {
        arn: required(out.certificateArn, 'certificate ARN'),
        pem: required(out.certificatePem, 'certificate PEM'),
        privateKey: required(out.keyPair?.PrivateKey, 'private key'),
      };
    },
    async importCertificate(certificatePem) {
      const out = await iot.send(
        new RegisterCertificateWithoutCACommand({ certificatePem, status: 'ACTIVE' }),
      );
      return required(out.certificateArn, 'certificate ARN');
    },
    certificatePolicies: (target) =>
      allPages(async (marker) => {
        const out = await iot.send(new ListAttachedPoliciesCommand({ target, marker }));
        return [
          (out.policies ?? []).flatMap((p) => (p.policyName === undefined ? [] : [p.policyName])),
          out.nextMarker,
        ];
      }),
    async attachPolicy(policyName, target) {
      await iot.send(new AttachPolicyCommand({ policyName, target }));
    },
    async attachCertificate(thingName, principal) {
      await iot.send(new AttachThingPrincipalCommand({ thingName, principal }));
    },
  };
}
