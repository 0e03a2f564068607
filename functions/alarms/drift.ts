/**
 * Plan drift: the plan hash a controller reports (telemetry `planHash`) against the hash the cloud
 * last pushed to its shadow (push state `h`). Pure: the alarm sweep reads both and acts on the verdict.
 */

/**
 * A controller receives a pushed plan within seconds when online and reports every 15 minutes, so a
 * mismatch still there 30 minutes after a push is not a report in flight: the plan is re-pushed
 * once, and a mismatch still there 30 minutes after that re-push opens a `plan-drift` alarm.
 */
export const DRIFT_BOUNDS = { repushAfterSeconds: 30 * 60, alarmAfterSeconds: 30 * 60 } as const;

/** The run id prefix of a drift re-push: the push state remembers that the re-push happened. */
export const DRIFT_REPUSH_RUN = 'drift/';

export interface PushedPlan {
  readonly hash: string;
  /** Epoch seconds. */
  readonly pushedAt: number;
  readonly runId: string;
}

export interface ReportedPlan {
  /** null: the controller follows no plan (it refused it, or never received one). */
  readonly hash: string | null;
  /** Epoch seconds of the report. */
  readonly ts: number;
}

/**
 * - `in-sync`: the controller follows the pushed plan (an open `plan-drift` alarm clears);
 * - `wait`: nothing to judge yet (no push, no report since the push, or within a bound);
 * - `repush`: mismatch past the first bound: push the plan again;
 * - `alarm`: mismatch persists past the re-push: open `plan-drift`.
 */
export type DriftVerdict = 'in-sync' | 'wait' | 'repush' | 'alarm';

export function driftVerdict(
  pushed: PushedPlan | undefined,
  reported: ReportedPlan | undefined,
  now: number,
  bounds: typeof DRIFT_BOUNDS = DRIFT_BOUNDS,
): DriftVerdict {
  if (pushed === undefined || reported === undefined) return 'wait';
  if (reported.hash === pushed.hash) return 'in-sync';
  // A report older than the push says nothing about it: a silent luminaire is the silence alarm's.
  if (reported.ts < pushed.pushedAt) return 'wait';
  const age = now - pushed.pushedAt;
  if (pushed.runId.startsWith(DRIFT_REPUSH_RUN)) return age >= bounds.alarmAfterSeconds ? 'alarm' : 'wait';
  return age >= bounds.repushAfterSeconds ? 'repush' : 'wait';
}
