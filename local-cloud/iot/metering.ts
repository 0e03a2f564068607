/**
 * What AWS IoT Core bills, reported by the stand-in as it happens, for a cost meter to count
 * (local-runtime/cost-metering.ts). Sizes are what AWS meters: a PUBLISH's topic and payload, a
 * SUBSCRIBE's topics, a Device Shadow request's document.
 */
export interface IotMetering {
  connected(clientId: string): void;
  disconnected(clientId: string): void;
  /** An MQTT packet metered as messaging: a device's PUBLISH, CONNECT or SUBSCRIBE, one delivered to it, its PUBACK. */
  message(bytes: number): void;
  /** A device's publish on `$aws/rules/...`: no messaging charge. */
  basicIngest(): void;
  shadowOperation(bytes: number): void;
}

/** AWS meters a device's MQTT 3.1.1 PUBACK as one 5 KB message. */
export const PUBACK_METERED_BYTES = 5 * 1024;
