import { z } from 'zod';
import { MAX_FADE_NUMBERS, MAX_FADE_SECONDS, MAX_PLAN_NUMBERS } from './limits.ts';

/**
 * Message and shadow schemas shared by the cloud (functions/) and the controllers (device-sim/).
 * Keys are short because the plan shadow is billed per started KB and must stay well under 1 KB.
 */

const Level = z.number().int().min(0).max(100);
const EpochSeconds = z.number().int().min(0).max(4_102_444_800);

/**
 * The plan as it sits in the `plan` named shadow, `state.desired.plan`.
 * - `h`: content hash of the plan (the controller reports it back as `reported.planHash`);
 * - `t0`: epoch seconds of the first transition;
 * - `s`: flat pairs [dt, level, dt, level, ...]: each dt in seconds after the previous transition
 *   (the first after t0, so it is 0), level 0..100 (0 = off). It covers several nights, so a
 *   controller cut off from the network keeps following it.
 * - `until`: epoch seconds up to which the plan is valid; after it the controller falls back to its
 *   default (lit at `fb` between dusk and dawn by its own photocell / astro clock).
 * - `f`: flat pairs [dt, fade, ...] in the same time base as `s`: from t0 + Σdt on, a change between
 *   two lit levels ramps linearly over `fade` seconds. Absent (older plans) or before its first
 *   point: no fade.
 */
export const ShadowPlan = z.strictObject({
  h: z.string().min(1).max(16),
  t0: EpochSeconds,
  s: z.array(z.number().int().min(0)).max(MAX_PLAN_NUMBERS),
  until: EpochSeconds,
  fb: Level.default(100),
  f: z
    .array(z.number().int().min(0))
    .max(MAX_FADE_NUMBERS)
    .refine((f) => f.every((x, i) => i % 2 === 0 || x <= MAX_FADE_SECONDS), {
      message: `a fade is at most ${MAX_FADE_SECONDS} seconds`,
    })
    .optional(),
});
export type ShadowPlan = z.infer<typeof ShadowPlan>;

/**
 * A presence boost, `state.desired.boost` of the `boost` named shadow: level `l` until epoch
 * seconds `u`, then the controller reverts to its plan by itself. `f` is the fade in seconds.
 */
export const ShadowBoost = z.strictObject({
  l: Level,
  u: EpochSeconds,
  f: z.number().int().min(0).max(600).default(3),
  src: z.string().max(64).optional(),
});
export type ShadowBoost = z.infer<typeof ShadowBoost>;

export const FAULTS = [
  'lampFailure',
  'driverFailure',
  'supplyLoss',
  'dayBurning',
  'powerHigh',
  'powerLow',
] as const;
export const Fault = z.enum(FAULTS);
export type Fault = z.infer<typeof Fault>;

/** What a controller reports in its classic shadow, `state.reported`. */
export const ReportedState = z.strictObject({
  level: Level,
  reason: z.enum(['plan', 'boost', 'fallback', 'override']),
  planHash: z.string().max(16).nullable(),
  powerW: z.number().min(0),
  energyWh: z.number().min(0),
  burningHours: z.number().min(0),
  faults: z.array(Fault),
  fw: z.string().max(32),
});
export type ReportedState = z.infer<typeof ReportedState>;

/**
 * Telemetry, on lighting/{thing}/telemetry. `energyWh` is the controller's cumulative active
 * energy counter since `counterId` (a new id when the driver or meter is replaced), so the cloud
 * computes consumption from counter differences: a lost, repeated or reordered message neither
 * loses nor double-counts energy. `thing` is what the controller publishes; the cloud uses the
 * topic's thing name instead (the IoT rule replaces it, see protocol/iot-rules.ts).
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
