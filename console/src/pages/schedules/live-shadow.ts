import { z } from 'zod';
import { isSilentAt, LIVE_STATES, type LiveState } from '#protocol/live-state.ts';
import type { LiveStatePage } from '#protocol/live-state-page.ts';
import { ReportedState, ShadowBoost, ShadowPlan } from '#protocol/shadows.ts';

/**
 * GET /luminaires/{id}/state: the classic shadow's reported state, when the controller wrote it
 * (epoch seconds; absent from older APIs), and the plan and boost desired states.
 */
export interface LuminaireState {
  readonly reported: unknown;
  readonly reportedAt?: number | null;
  readonly plan: unknown;
  readonly boost: unknown;
}

/**
 * A luminaire's level now as the map shows it: from its last telemetry report, as the alarm sweep
 * last saw it (GET /luminaires/state). Level and reason changes travel in telemetry only; the
 * classic shadow holds the plan applied and the faults as of its own report (ADR 0020).
 */
export interface LiveReport {
  readonly state: LiveState;
  readonly level: number;
  /** When the luminaire sent that report (epoch seconds); null: it never reported. */
  readonly reportedAt: number | null;
  /** Its last report is older than the silence bound at `now`. */
  readonly silent: boolean;
}

/** The luminaire `id` in a page of the live state, or null when the page does not hold it. */
export function liveReportOf(page: LiveStatePage, id: string, now: number): LiveReport | null {
  const i = page.ids.indexOf(id);
  if (i < 0 || page.at === null) return null;
  const at = Date.parse(page.at) / 1000;
  const age = page.age[i] ?? -1;
  return {
    state: LIVE_STATES[page.state[i] ?? 0] ?? 'unknown',
    level: page.level[i] ?? 0,
    reportedAt: age < 0 ? null : at - age,
    silent: isSilentAt(age, now - at, page.reportIntervalSeconds),
  };
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
  /** When the controller wrote `reported` (epoch seconds), if the API says. */
  readonly reportedAt: number | null;
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
    reportedAt: reported.success ? (state.reportedAt ?? null) : null,
    boost: boost.success && boost.data.u > now ? boost.data : null,
  };
}
