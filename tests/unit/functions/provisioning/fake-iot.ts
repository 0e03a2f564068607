import {
  AddThingToThingGroupCommand,
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  DescribeEndpointCommand,
  DescribeThingCommand,
  IoTClient,
  ListAttachedPoliciesCommand,
  ListThingGroupsForThingCommand,
  ListThingPrincipalsCommand,
  RegisterCertificateWithoutCACommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-iot';
import { mockClient } from 'aws-sdk-client-mock';

export const ENDPOINT = 'a1b2c3-ats.iot.eu-west-3.amazonaws.com';

/** Every command that changes the registry. */
const WRITE_COMMANDS = [
  CreateThingCommand,
  AddThingToThingGroupCommand,
  CreateKeysAndCertificateCommand,
  RegisterCertificateWithoutCACommand,
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
];

/**
 * An IoT registry held in memory behind aws-sdk-client-mock: the provisioning code talks to a real
 * IoTClient, and this state answers as IoT would, so that a second run can see the first one's work.
 */
export function fakeIot() {
  const iot = mockClient(IoTClient);
  const things = new Map<string, { groups: Set<string>; certificates: Set<string> }>();
  const certificatePolicies = new Map<string, Set<string>>();
  let issued = 0;
  const thing = (name: string | undefined) => {
    const found = things.get(name ?? '');
    if (found === undefined)
      throw new ResourceNotFoundException({ message: `${name} not found`, $metadata: {} });
    return found;
  };
  const newCertificate = () => {
    issued += 1;
    const arn = `arn:aws:iot:eu-west-3:123456789012:cert/${issued.toString(16).padStart(64, '0')}`;
    certificatePolicies.set(arn, new Set());
    return arn;
  };

  iot.on(DescribeEndpointCommand).resolves({ endpointAddress: ENDPOINT });
  iot
    .on(DescribeThingCommand)
    .callsFake(async (input) => ({ thingName: input.thingName, thing: thing(input.thingName) }));
  iot.on(CreateThingCommand).callsFake(async (input) => {
    things.set(input.thingName, { groups: new Set(), certificates: new Set() });
    return { thingName: input.thingName };
  });
  iot.on(ListThingGroupsForThingCommand).callsFake(async (input) => ({
    thingGroups: [...thing(input.thingName).groups].map((groupName) => ({ groupName })),
  }));
  iot.on(AddThingToThingGroupCommand).callsFake(async (input) => {
    thing(input.thingName).groups.add(input.thingGroupName);
    return {};
  });
  iot.on(ListThingPrincipalsCommand).callsFake(async (input) => ({
    principals: [...thing(input.thingName).certificates],
  }));
  iot.on(CreateKeysAndCertificateCommand).callsFake(async () => {
    const certificateArn = newCertificate();
    return {
      certificateArn,
      certificatePem: `-----BEGIN CERTIFICATE-----\n${issued}\n-----END CERTIFICATE-----\n`,
      keyPair: { PrivateKey: `-----BEGIN RSA PRIVATE KEY-----\n${issued}\n-----END RSA PRIVATE KEY-----\n` },
    };
  });
  iot.on(RegisterCertificateWithoutCACommand).callsFake(async () => ({ certificateArn: newCertificate() }));
  iot.on(ListAttachedPoliciesCommand).callsFake(async (input) => ({
    policies: [...(certificatePolicies.get(input.target) ?? [])].map((policyName) => ({ policyName })),
  }));
  iot.on(AttachPolicyCommand).callsFake(async (input) => {
    certificatePolicies.get(input.target)?.add(input.policyName);
    return {};
  });
  iot.on(AttachThingPrincipalCommand).callsFake(async (input) => {
    thing(input.thingName).certificates.add(input.principal);
    return {};
  });
  /** Names of the registry-changing commands received so far. */
  const writes = () =>
    iot
      .calls()
      .map((call) => call.args[0])
      .filter((command) => WRITE_COMMANDS.some((write) => command instanceof write))
      .map((command) => command.constructor.name);
  return { iot, things, certificatePolicies, writes };
}
