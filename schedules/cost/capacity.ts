/**
 * The ledger table's capacity mode at a fleet size (ADR 0017). The telemetry ledger writes at a
 * steady rate all day and night (every luminaire every 15 minutes), the load provisioned capacity
 * is priced for: it bills capacity-hours whether used or not, so it pays when the capacity is
 * used well. Auto scaling follows the fleet's growth, not the 15-minute rounds (it reacts in
 * minutes and scales in only a few times a day): the capacity must hold a round's peak.
 */
export type CapacityMode = 'onDemand' | 'provisioned';

export interface AutoScaling {
  /** The round's write rate over the day's mean: a round's reports, written within this share of the period. */
  readonly peakToMean: number;
  /** Auto scaling's target utilization: the headroom it keeps above the consumed capacity. */
  readonly targetUtilization: number;
  /** The table's minimum capacity units (what a site with few luminaires pays at least). */
  readonly minimumUnits: number;
}

/**
 * A round's reports arrive within 2 minutes (the agents' spread); the stream consumer writes them
 * as fast as the table lets it. Provisioned for twice the mean, a round's writes take half the
 * period (7.5 minutes of 15): throttled writes wait in the stream (the ledger's batches retry them)
 * and the next round finds the table idle. 70 % is auto scaling's default target.
 */
export const LEDGER_AUTO_SCALING: AutoScaling = {
  peakToMean: 2,
  targetUtilization: 0.7,
  minimumUnits: 5,
};

const SECONDS_PER_HOUR = 3600;

/** Capacity units to provision for `unitsPerHour` request units on average. */
export function provisionedUnitsFor(
  unitsPerHour: number,
  scaling: AutoScaling = LEDGER_AUTO_SCALING,
): number {
  if (!(unitsPerHour >= 0)) throw new RangeError('unitsPerHour must be a number ≥ 0');
  const mean = unitsPerHour / SECONDS_PER_HOUR;
  return Math.max(scaling.minimumUnits, Math.ceil((mean * scaling.peakToMean) / scaling.targetUtilization));
}
