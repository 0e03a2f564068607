import { z } from 'zod';
import { EpochSeconds } from '../fields.ts';
import { type IotRule, ruleSql } from '../iot-rules.ts';
import { basicIngestTopic, LOCAL_STAGE, TOPIC_PREFIX, topicRuleName } from '../topics.ts';

/**
 * A detection, on lighting/sensors/{sensor}/presence. `id` makes duplicate deliveries harmless.
 * Where the detection happened is the sensor's position in the cloud's sensor inventory, looked up
 * by the topic's sensor id: `lat`, `lon` and `street` from older sensors are accepted and ignored.
 * `receivedAt` (epoch milliseconds) is added by the IoT rule, when IoT Core received the message.
 */
export const PresenceMessage = z.strictObject({
  sensor: z.string().min(1).max(64),
  id: z.string().min(1).max(64),
  ts: EpochSeconds,
  lat: z.number().min(-90).max(90).optional(),
  lon: z.number().min(-180).max(180).optional(),
  street: z.string().min(1).max(200).optional(),
  kind: z.enum(['pedestrian', 'cyclist', 'vehicle']).default('pedestrian'),
  receivedAt: z.number().int().min(0).max(4_102_444_800_000).optional(),
});
export type PresenceMessage = z.infer<typeof PresenceMessage>;

/**
 * Detections of one presence sensor (PresenceMessage), as the presence rule sees them. Sensors
 * publish them through Basic Ingest (`presenceIngestTopic`), never here.
 */
export const presenceTopic = (sensorId: string): string => `${TOPIC_PREFIX}/sensors/${sensorId}/presence`;

/** The subscription of the presence rule. */
export const PRESENCE_FILTER = `${TOPIC_PREFIX}/sensors/+/presence`;

/** The rule of the registry's `presence` function in the local stand-in. */
export const LOCAL_PRESENCE_RULE = topicRuleName(LOCAL_STAGE, 'presence');

/**
 * Where a sensor publishes its detections: the presence rule's Basic Ingest topic. A detection has
 * no subscriber but the rule, and through the broker it would be a metered message (ADR 0017, 17.).
 */
export const presenceIngestTopic = (ruleName: string, sensorId: string): string =>
  basicIngestTopic(ruleName, presenceTopic(sensorId));

export const PRESENCE_RULE_SQL = ruleSql(PRESENCE_FILTER, PresenceMessage, { sensor: 3 });
export const PRESENCE_RULE: IotRule = { sql: PRESENCE_RULE_SQL, publisher: 'sensor', topic: presenceTopic };
