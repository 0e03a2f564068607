import { createHash } from 'node:crypto';
import { MAX_FADE_NUMBERS, MAX_PLAN_JSON_BYTES, MAX_PLAN_NUMBERS } from './limits.ts';
import { rampSeconds } from './ramp.ts';
import type { ShadowPlan } from './shadows.ts';

/** A level change at an instant (epoch seconds). */
export interface PlanStep {
  readonly at: number;
  readonly level: number;
}

/** From `at` (epoch seconds) on, a change between two lit levels ramps over `seconds`. */
export interface FadeChange {
  readonly at: number;
  readonly seconds: number;
}

/** A plan the controllers would refuse (protocol/limits.ts): encoding it is a bug upstream, never sent. */
export class PlanTooLarge extends RangeError {
  constructor(
    readonly numbers: number,
    readonly fadeNumbers: number,
    readonly bytes: number,
  ) {
    super(
      `plan too large for the controller: ${numbers} numbers in s (at most ${MAX_PLAN_NUMBERS}), ` +
        `${fadeNumbers} in f (at most ${MAX_FADE_NUMBERS}), ${bytes} bytes (at most ${MAX_PLAN_JSON_BYTES})`,
    );
    this.name = 'PlanTooLarge';
  }
}

export const DEFAULT_FALLBACK_LEVEL = 100;

/**
 * Encodes a sorted multi-night list of level changes into the compact shadow form. The hash covers
 * the content only, so an unchanged plan gives the same hash and the push can skip it. `f` is left
 * out when no fade applies, so plans without fades keep the hash they had before fades existed.
 * Throws PlanTooLarge rather than return a plan a controller would refuse.
 */
export function encodeShadowPlan(
  steps: readonly PlanStep[],
  until: number,
  fallbackLevel = DEFAULT_FALLBACK_LEVEL,
  fades: readonly FadeChange[] = [],
): ShadowPlan {
  const t0 = steps[0]?.at ?? until;
  const s = pairs(steps, t0, (step) => step.level);
  const f = pairs(withoutRepeats(fades, t0), t0, (fade) => fade.seconds);
  const body = f.length > 0 ? { t0, s, until, fb: fallbackLevel, f } : { t0, s, until, fb: fallbackLevel };
  const json = JSON.stringify(body);
  const h = createHash('sha256').update(json).digest('base64url').slice(0, 12);
  // The shadow's JSON is the body's with `"h":"…",` in front (ASCII only, so characters are bytes).
  const bytes = json.length + h.length + 7;
  if (s.length > MAX_PLAN_NUMBERS || f.length > MAX_FADE_NUMBERS || bytes > MAX_PLAN_JSON_BYTES) {
    throw new PlanTooLarge(s.length, f.length, bytes);
  }
  return { h, ...body };
}

/** Flat [dt, value, ...] pairs, each dt after the previous instant (the first after t0). */
function pairs<T extends { readonly at: number }>(
  items: readonly T[],
  t0: number,
  value: (item: T) => number,
): number[] {
  const out: number[] = [];
  let previous = t0;
  for (const item of items) {
    if (item.at < previous) throw new RangeError('plan steps must be sorted by time');
    out.push(item.at - previous, value(item));
    previous = item.at;
  }
  return out;
}

/**
 * The fade changes that change something: a fade in force before t0 starts at t0, and a change to
 * the fade already in force (none before the first) is dropped.
 */
function withoutRepeats(fades: readonly FadeChange[], t0: number): FadeChange[] {
  const out: FadeChange[] = [];
  for (const fade of fades) {
    const at = Math.max(fade.at, t0);
    if (out.at(-1)?.at === at) out.pop();
    if (fade.seconds !== (out.at(-1)?.seconds ?? 0)) out.push({ at, seconds: fade.seconds });
  }
  return out;
}

export function decodeShadowPlan(plan: ShadowPlan): PlanStep[] {
  return unpair(plan.s, plan.t0, (at, level) => ({ at, level }));
}

export function decodeFades(plan: ShadowPlan): FadeChange[] {
  return unpair(plan.f ?? [], plan.t0, (at, seconds) => ({ at, seconds }));
}

function unpair<T>(flat: readonly number[], t0: number, item: (at: number, value: number) => T): T[] {
  const out: T[] = [];
  let at = t0;
  for (let i = 0; i + 1 < flat.length; i += 2) {
    at += flat[i] as number;
    out.push(item(at, flat[i + 1] as number));
  }
  return out;
}

/** A plan step with the ramp that leads to its level: from `from` at `at` to `level` at `rampEnd`. */
export interface RampedStep extends PlanStep {
  readonly from: number;
  /** Equal to `at` when the level changes at once. */
  readonly rampEnd: number;
}

/** The plan's steps with their ramps (the fade in force at each step, see `rampSeconds`). */
export function rampedSteps(plan: ShadowPlan): RampedStep[] {
  const steps = decodeShadowPlan(plan);
  const fades = decodeFades(plan);
  let fade = 0;
  let nextFade = 0;
  return steps.map((step, i) => {
    while (nextFade < fades.length && (fades[nextFade] as FadeChange).at <= step.at) {
      fade = (fades[nextFade] as FadeChange).seconds;
      nextFade++;
    }
    const from = i === 0 ? step.level : (steps[i - 1] as PlanStep).level;
    const next = steps[i + 1]?.at ?? plan.until;
    return { ...step, from, rampEnd: step.at + rampSeconds(from, step.level, fade, next - step.at) };
  });
}

/**
 * The planned level at `t`, or null when `t` is outside what the plan covers (before its first
 * step or after `until`): the controller then uses its own fallback.
 */
export function plannedLevelAt(plan: ShadowPlan, t: number): number | null {
  if (t >= plan.until) return null;
  let at = plan.t0;
  let level: number | null = null;
  for (let i = 0; i + 1 < plan.s.length; i += 2) {
    at += plan.s[i] as number;
    if (at > t) break;
    level = plan.s[i + 1] as number;
  }
  return level;
}
