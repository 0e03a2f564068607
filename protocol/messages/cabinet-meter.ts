import { z } from 'zod';
import { EpochSeconds } from '../fields.ts';
import { type IotRule, ruleSql } from '../iot-rules.ts';
import { basicIngestTopic, LOCAL_STAGE, TOPIC_PREFIX, topicRuleName } from '../topics.ts';

/** 10 GWh per phase: a 250 kVA delivery point at full power for a few years stays far below. */
const PhaseWh = z.number().min(0).max(1e10);

/** The three registers rounded to 3 decimals each may miss their sum by a few thousandths of a Wh. */
const TOTAL_TOLERANCE_WH = 0.01;

const CabinetMeterFields = z.strictObject({
  thing: z.string().min(1).max(128),
  ts: EpochSeconds,
  seq: z.number().int().min(0),
  /** A new id when the meter is replaced: the cloud then takes the reading as a new baseline. */
  counterId: z.string().min(1).max(64),
  /** Cumulative active energy of each phase since `counterId`. */
  phasesWh: z.tuple([PhaseWh, PhaseWh, PhaseWh]),
  totalWh: z.number().min(0).max(3e10),
});

const totalIsSum = (m: { phasesWh: readonly number[]; totalWh: number }): boolean =>
  Math.abs(m.phasesWh.reduce((a, b) => a + b, 0) - m.totalWh) <= TOTAL_TOLERANCE_WH;
const TOTAL_IS_SUM = { message: 'totalWh must be the sum of phasesWh', path: ['totalWh'] };

/**
 * A connected cabinet's three-phase meter reading, on lighting/{thing}/cabinet-meter: cumulative
 * Wh per phase and in total since `counterId`, so the cloud counts energy from counter differences
 * and a lost, repeated or reordered reading neither loses nor double-counts energy (as telemetry).
 * `thing` is the cabinet's thing name; the rule replaces it with the topic's.
 */
export const CabinetMeterMessage = CabinetMeterFields.refine(totalIsSum, TOTAL_IS_SUM);
export type CabinetMeterMessage = z.infer<typeof CabinetMeterMessage>;

/** What the rule hands the cabinet ledger: the reading, `thing` from the topic and the broker's receive time (ms). */
const CabinetMeterEventFields = CabinetMeterFields.extend({ receivedAt: z.number().int().min(0) });
export const CabinetMeterEvent = CabinetMeterEventFields.refine(totalIsSum, TOTAL_IS_SUM);
export type CabinetMeterEvent = z.infer<typeof CabinetMeterEvent>;

/** Meter readings of one cabinet controller, as the rule sees them (published through Basic Ingest). */
export const cabinetMeterTopic = (thingName: string): string => `${TOPIC_PREFIX}/${thingName}/cabinet-meter`;

/** The subscription of the cabinet meter rule. */
export const CABINET_METER_FILTER = `${TOPIC_PREFIX}/+/cabinet-meter`;

/** The rule of the registry's `cabinet-meter` function in the local stand-in. */
export const LOCAL_CABINET_METER_RULE = topicRuleName(LOCAL_STAGE, 'cabinet-meter');

/** Where a cabinet controller publishes its readings: the rule's Basic Ingest topic. */
export const cabinetMeterIngestTopic = (ruleName: string, thingName: string): string =>
  basicIngestTopic(ruleName, cabinetMeterTopic(thingName));

/** Cabinet things are provisioned with the luminaire policy (a controller with a `plan` shadow). */
export const CABINET_METER_RULE: IotRule = {
  sql: ruleSql(CABINET_METER_FILTER, CabinetMeterEventFields, { thing: 2 }),
  publisher: 'luminaire',
  topic: cabinetMeterTopic,
};
