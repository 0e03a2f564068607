import { z } from 'zod';
import { EpochSeconds, FAULTS, Fault, Level } from '../fields.ts';
import { type IotRule, ruleSql } from '../iot-rules.ts';
import { basicIngestTopic, LOCAL_STAGE, TOPIC_PREFIX, topicRuleName } from '../topics.ts';

/**
 * Telemetry, on lighting/{thing}/telemetry. `energyWh` is the controller's cumulative active
 * energy counter since `counterId` (a new id when the driver or meter is replaced), so the cloud
 * computes consumption from counter differences: a lost, repeated or reordered message neither
 * loses nor double-counts energy. `thing` is what the controller publishes; the cloud uses the
 * topic's thing name instead (the IoT rule replaces it, see TELEMETRY_RULE_SQL).
 */
export const TelemetryMessage = z.strictObject({
  thing: z.string().min(1).max(128),
  ts: EpochSeconds,
  seq: z.number().int().min(0),
  counterId: z.string().min(1).max(64),
  /** 10 GWh: a 1 kW luminaire lit for a thousand years stays far below; beyond it is a broken counter. */
  energyWh: z.number().min(0).max(1e10),
  burningHours: z.number().min(0).max(1e6),
  level: Level,
  powerW: z.number().min(0).max(100_000),
  planHash: z.string().max(16).nullable(),
  faults: z.array(Fault).max(FAULTS.length),
  /** Whether the controller's light sensor / astro clock says it is daytime (for day-burning alarms). */
  daylight: z.boolean().optional(),
});
export type TelemetryMessage = z.infer<typeof TelemetryMessage>;

/**
 * What the telemetry rule hands the ingest function: the report's fields, `thing` from the topic
 * and `receivedAt`, the broker's receive time in epoch milliseconds (IoT SQL `timestamp()`), the
 * clock the report's own `ts` is checked against.
 */
export const TelemetryEvent = TelemetryMessage.extend({ receivedAt: z.number().int().min(0) });
export type TelemetryEvent = z.infer<typeof TelemetryEvent>;

/**
 * Periodic and event reports of one luminaire controller (TelemetryMessage), as the telemetry rule
 * sees them. Controllers publish them through Basic Ingest (`telemetryIngestTopic`), never here.
 */
export const telemetryTopic = (thingName: string): string => `${TOPIC_PREFIX}/${thingName}/telemetry`;

/** The subscription of the telemetry rule (and of the local rule runner). */
export const TELEMETRY_FILTER = `${TOPIC_PREFIX}/+/telemetry`;

/** The rule of the registry's `telemetry` function in the local stand-in. */
export const LOCAL_TELEMETRY_RULE = topicRuleName(LOCAL_STAGE, 'telemetry');

/** Where a controller publishes its telemetry: the telemetry rule's Basic Ingest topic. */
export const telemetryIngestTopic = (ruleName: string, thingName: string): string =>
  basicIngestTopic(ruleName, telemetryTopic(thingName));

export const TELEMETRY_RULE_SQL = ruleSql(TELEMETRY_FILTER, TelemetryEvent, { thing: 2 });
export const TELEMETRY_RULE: IotRule = {
  sql: TELEMETRY_RULE_SQL,
  publisher: 'luminaire',
  topic: telemetryTopic,
};
