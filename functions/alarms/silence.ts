import type { AlarmPolicy } from '#schedules/config/schema.ts';

/** Seconds without a report after which a luminaire is silent. */
export const silenceBoundSeconds = (policy: AlarmPolicy): number =>
  policy.silentAfterIntervals * policy.reportIntervalSeconds;

/**
 * A luminaire is silent when its last accepted report is older than the bound. One that never
 * reported is not: an imported inventory precedes the installation of its controllers, and a
 * luminaire not yet installed must not raise an alarm.
 */
export function isSilent(lastReportTs: number | undefined, now: number, policy: AlarmPolicy): boolean {
  return lastReportTs !== undefined && now - lastReportTs > silenceBoundSeconds(policy);
}
