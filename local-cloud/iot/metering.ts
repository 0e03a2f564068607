import { parseShadowTopic } from './shadow-address.ts';

/**
 * What AWS IoT Core bills, reported by the stand-in as it happens, for a cost meter to count
 * (local-runtime/cost-metering.ts). Sizes are what AWS meters: a PUBLISH's topic and payload, a
 * SUBSCRIBE's topics, a Device Shadow request's document. Each comes with its kind (`messageKind`,
 * `shadowOperationKind`), so a run says which topics and operations its counts are made of.
 */
export interface IotMetering {
  connected(clientId: string): void;
  disconnected(clientId: string): void;
  /** An MQTT packet metered as messaging: a device's PUBLISH, CONNECT or SUBSCRIBE, one delivered to it, its PUBACK. */
  message(bytes: number, kind: string): void;
  /** A device's publish on `$aws/rules/...`: no messaging charge. */
  basicIngest(): void;
  shadowOperation(bytes: number, kind: string): void;
}

/** A shadow as a kind names it: its name, `classic` for the unnamed one. */
const shadowLabel = (shadowName: string | undefined): string => shadowName ?? 'classic';

/**
 * A PUBLISH's kind: `publish` by a device or `deliver` to one, then the shadow, operation and reply
 * of a shadow topic (`deliver boost update/delta`), or `other` for any other topic.
 */
export function messageKind(direction: 'publish' | 'deliver', topic: string): string {
  const shadow = parseShadowTopic(topic);
  if (shadow === undefined) return `${direction} other`;
  const reply = shadow.reply === undefined ? '' : `/${shadow.reply}`;
  return `${direction} ${shadowLabel(shadow.shadowName)} ${shadow.operation}${reply}`;
}

/** A shadow operation's kind: the shadow and the operation (`plan update`, `classic get`). */
export const shadowOperationKind = (shadowName: string | undefined, operation: string): string =>
  `${shadowLabel(shadowName)} ${operation}`;

/** AWS meters a device's MQTT 3.1.1 PUBACK as one 5 KB message. */
export const PUBACK_METERED_BYTES = 5 * 1024;
