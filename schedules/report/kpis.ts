import type { PerformanceContract } from '../config/schema.ts';
import type { CoveredSpan } from './night-classes.ts';

/**
 * The indicators a performance contract states, from what the report already holds and the
 * alarm store: savings against the guaranteed share, availability (planned lit luminaire-hours
 * actually lit, over complete nights), the failure rate and the mean time to repair.
 */

/** The alarm kinds that mean a luminaire gives no light (a failure, in a contract's words). */
export const FAILURE_KINDS: ReadonlySet<string> = new Set(['lampFailure', 'driverFailure', 'supplyLoss']);

/** An alarm as the KPIs need it (epoch seconds). */
export interface AlarmSpan {
  readonly luminaireId: string;
  readonly kind: string;
  readonly openedAt: number;
  readonly clearedAt: number | null;
}

export interface Kpis {
  readonly savingsShare: number;
  readonly guaranteedSavingsShare: number | null;
  /** null when the config states no guaranteed share. */
  readonly savingsTargetMet: boolean | null;
  /** Metered burning hours (capped at the plan, night by night) / planned lit hours, complete nights only. */
  readonly availability: number;
  readonly plannedLitHours: number;
  /** Luminaires with a failure alarm open at some time in the period / luminaires. */
  readonly failureRate: number;
  readonly failedLuminaires: number;
  readonly maxFailureRate: number | null;
  readonly failureRateMet: boolean | null;
  /** Failure alarms cleared in the period, and their mean open time in hours (null when none). */
  readonly repairs: number;
  readonly meanTimeToRepairHours: number | null;
}

export interface KpiInput {
  readonly contract: PerformanceContract | undefined;
  readonly savingsShare: number;
  readonly litHours: number;
  readonly plannedLitHours: number;
  readonly luminaires: number;
  /** The period's first night start to its last night end. */
  readonly period: CoveredSpan;
  readonly alarms: readonly AlarmSpan[];
}

export function kpis(input: KpiInput): Kpis {
  const { period } = input;
  const failures = input.alarms.filter(
    (a) =>
      FAILURE_KINDS.has(a.kind) &&
      a.openedAt < period.end &&
      (a.clearedAt === null || a.clearedAt >= period.start),
  );
  const failed = new Set(failures.map((a) => a.luminaireId)).size;
  const repaired = failures.filter(
    (a): a is AlarmSpan & { clearedAt: number } => a.clearedAt !== null && a.clearedAt < period.end,
  );
  const failureRate = input.luminaires === 0 ? 0 : failed / input.luminaires;
  const guaranteed = input.contract?.guaranteedSavingsShare ?? null;
  const maxFailureRate = input.contract?.maxFailureRate ?? null;
  return {
    savingsShare: input.savingsShare,
    guaranteedSavingsShare: guaranteed,
    savingsTargetMet: guaranteed === null ? null : input.savingsShare >= guaranteed,
    availability: input.plannedLitHours === 0 ? 0 : input.litHours / input.plannedLitHours,
    plannedLitHours: input.plannedLitHours,
    failureRate,
    failedLuminaires: failed,
    maxFailureRate,
    failureRateMet: maxFailureRate === null ? null : failureRate <= maxFailureRate,
    repairs: repaired.length,
    meanTimeToRepairHours:
      repaired.length === 0
        ? null
        : repaired.reduce((sum, a) => sum + (a.clearedAt - a.openedAt), 0) / repaired.length / 3600,
  };
}
