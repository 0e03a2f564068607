import { createHash } from 'node:crypto';
import type { ShadowPlan } from './messages.ts';

/** A level change at an instant (epoch seconds). */
export interface PlanStep {
  readonly at: number;
  readonly level: number;
}

/**
 * Encodes a sorted multi-night list of level changes into the compact shadow form. The hash covers
 * the content only, so an unchanged plan gives the same hash and the push can skip it.
 */
export function encodeShadowPlan(steps: readonly PlanStep[], until: number, fallbackLevel = 100): ShadowPlan {
  const t0 = steps[0]?.at ?? until;
  const s: number[] = [];
  let previous = t0;
  for (const step of steps) {
    if (step.at < previous) throw new RangeError('plan steps must be sorted by time');
    s.push(step.at - previous, step.level);
    previous = step.at;
  }
  const body = { t0, s, until, fb: fallbackLevel };
  const h = createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 12);
  return { h, ...body };
}

export function decodeShadowPlan(plan: ShadowPlan): PlanStep[] {
  const steps: PlanStep[] = [];
  let at = plan.t0;
  for (let i = 0; i + 1 < plan.s.length; i += 2) {
    at += plan.s[i] as number;
    steps.push({ at, level: plan.s[i + 1] as number });
  }
  return steps;
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
