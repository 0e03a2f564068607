import type { z } from 'zod';

/**
 * How an IoT topic rule is written: each message's rule is in its module (protocol/messages/), its
 * SQL built by `ruleSql`. The CDK app deploys these exact statements and the local rule runner
 * (local-runtime/iot-rules.ts) evaluates them, so the event a handler receives is the same in both.
 *
 * Each rule names every field of its event schema explicitly, never `SELECT *`: AWS does not
 * document which value wins when a payload key and a projection alias share a name, so with
 * `SELECT *, topic(2) AS thing` a payload `thing` might reach the handler. Here the device id comes
 * from the topic (what the IoT policy authorised), `receivedAt` from the broker's clock, and payload
 * keys outside the schema never reach the handler at all.
 */

/** An event field the rule computes instead of reading it from the payload. */
const RECEIVED_AT = 'receivedAt';

/**
 * `SELECT` of the schema's fields: those in `fromTopic` are topic levels (1-based:
 * lighting/sensors/{sensor}/presence -> topic(3) is the sensor id), a `receivedAt` field is the
 * broker's receive time (epoch ms), every other field is the payload key of that name.
 */
export function ruleSql(
  filter: string,
  schema: z.ZodObject,
  fromTopic: Readonly<Record<string, number>>,
): string {
  const fields = Object.keys(schema.shape).map((field) => {
    const level = fromTopic[field];
    if (level !== undefined) return `topic(${level}) AS ${field}`;
    return field === RECEIVED_AT ? `timestamp() AS ${field}` : field;
  });
  return `SELECT ${fields.join(', ')} FROM '${filter}'`;
}

/** The kinds of device that publish the messages a rule selects (each has its own IoT policy). */
export type Publisher = 'luminaire' | 'sensor';

/**
 * A topic rule: its SQL, and who may publish what it selects. The device policies allow each kind
 * of device to publish the topic of its own id (`topic(SELF)`) for every rule it feeds, so a new
 * rule brings its own permission.
 */
export interface IotRule {
  readonly sql: string;
  readonly publisher: Publisher;
  readonly topic: (deviceId: string) => string;
}

export const IOT_SQL_VERSION = '2016-03-23';
