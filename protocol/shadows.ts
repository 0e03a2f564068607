import { z } from 'zod';
import { EpochSeconds, Fault, Level } from './fields.ts';
import { MAX_FADE_NUMBERS, MAX_FADE_SECONDS, MAX_PLAN_NUMBERS } from './limits.ts';

/**
 * Shadow documents shared by the cloud (functions/) and the controllers (device-sim/); the messages
 * devices publish are in protocol/messages/. Keys are short because the plan shadow is billed per
 * started KB and must stay well under 1 KB.
 */

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
