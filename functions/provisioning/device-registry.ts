/**
 * The AWS IoT registry as provisioning sees it: a port, so the provisioning logic runs against the
 * real IoT control plane (./iot-device-registry.ts) or a test double.
 */
export interface IssuedCertificate {
  readonly arn: string;
  readonly pem: string;
  readonly privateKey: string;
}

export interface DeviceRegistry {
  /** The account's MQTT (ATS) endpoint host name. */
  dataEndpoint(): Promise<string>;
  thingExists(thingName: string): Promise<boolean>;
  createThing(thingName: string): Promise<void>;
  thingGroups(thingName: string): Promise<string[]>;
  addToGroup(thingName: string, groupName: string): Promise<void>;
  /** ARNs of the certificates attached to the thing. */
  thingCertificates(thingName: string): Promise<string[]>;
  /** A new key pair and certificate, active; the private key is returned once and never again. */
  createCertificate(): Promise<IssuedCertificate>;
  /** Registers a certificate made elsewhere (e.g. by the controller's manufacturer), active. */
  importCertificate(pem: string): Promise<string>;
  certificatePolicies(certificateArn: string): Promise<string[]>;
  attachPolicy(policyName: string, certificateArn: string): Promise<void>;
  attachCertificate(thingName: string, certificateArn: string): Promise<void>;
}
