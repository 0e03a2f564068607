import { z } from 'zod';
import { ReportedState, ShadowBoost, ShadowPlan } from '#protocol/shadows.ts';

/** GET /luminaires/{id}/state: the classic shadow's reported state and the plan and boost desired states. */
export interface LuminaireState {
  readonly reported: unknown;
  readonly plan: unknown;
  readonly boost: unknown;
}

/**
 * Whether the controller follows what the cloud pushed: `applied` (it reports the pushed plan's
 * hash), `pending` (it reports another plan: the push has not reached it, or it refused it),
 * `unreported` (a plan is pushed, the controller never said which plan it runs), `none` (no plan pushed).
 */
export type PlanSync = 'applied' | 'pending' | 'unreported' | 'none';

export interface ShadowSummary {
  readonly sync: PlanSync;
  readonly pushedHash: string | null;
  readonly reportedHash: string | null;
  /** The plan pushed covers up to this instant (epoch seconds). */
  readonly planUntil: number | null;
  readonly reported: ReportedState | null;
  /** A presence boost still in force at `now`. */
  readonly boost: ShadowBoost | null;
}

/** The classic shadow merges what controllers reported over time: keys of older firmware are let through. */
const REPORTED = z.object(ReportedState.shape);

/**
 * The live shadows read with the protocol's schemas: a document that does not parse counts as
 * absent (the panel shows what it can rather than fail on one odd field).
 */
export function summarizeShadow(state: LuminaireState, now: number): ShadowSummary {
  const plan = ShadowPlan.safeParse((state.plan as { plan?: unknown } | null)?.plan);
  const reported = REPORTED.safeParse(state.reported);
  const boost = ShadowBoost.safeParse((state.boost as { boost?: unknown } | null)?.boost);
  const pushedHash = plan.success ? plan.data.h : null;
  const reportedHash = reported.success ? reported.data.planHash : null;
  let sync: PlanSync;
  if (pushedHash === null) sync = 'none';
  else if (reportedHash === null) sync = 'unreported';
  else sync = reportedHash === pushedHash ? 'applied' : 'pending';
  return {
    sync,
    pushedHash,
    reportedHash,
    planUntil: plan.success ? plan.data.until : null,
    reported: reported.success ? reported.data : null,
    boost: boost.success && boost.data.u > now ? boost.data : null,
  };
}
