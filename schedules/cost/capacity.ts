import type { Measurement } from './usage.ts';

/**
 * The ledger table's capacity mode at a fleet size (ADR 0017). The telemetry ledger writes at a
 * steady rate all day and night (every luminaire every 15 minutes), the load provisioned capacity
 * is priced for: it bills capacity-hours whether used or not, so it pays when the capacity is
 * used well. Auto scaling follows the fleet's growth, not the 15-minute rounds (it reacts in
 * minutes and scales in only a few times a day): the capacity must hold a round's busiest minute.
 */
export type CapacityMode = 'onDemand' | 'provisioned';

export interface AutoScaling {
  /** Auto scaling's target utilization: the headroom it keeps above the consumed capacity. */
  readonly targetUtilization: number;
  /** The table's minimum capacity units (what a site with few luminaires pays at least). */
  readonly minimumUnits: number;
}

/** 70 % is auto scaling's default target, the one infra/ sets on the ledger table. */
export const LEDGER_AUTO_SCALING: AutoScaling = {
  targetUtilization: 0.7,
  minimumUnits: 5,
};

/** The agents' report spread before it covered the whole period: a round's reports within 2 minutes. */
const FORMER_REPORT_SPREAD_SECONDS = 120;

/**
 * The telemetry stream's busiest minute over its mean minute in a measured run: the ledger writes
 * what the stream brings, so its peak-to-mean too. A run measured before the busiest minute was
 * counted gets the 2-minute spread its agents had: a round's reports within 2 of its 15 minutes.
 */
export function peakToMeanOf(measurement: Measurement): number {
  const { records, peakMinuteRecords } = measurement.usage.kinesis;
  if (peakMinuteRecords === undefined || records === 0)
    return measurement.telemetryEverySeconds / FORMER_REPORT_SPREAD_SECONDS;
  return Math.max(1, (peakMinuteRecords * measurement.simulatedHours * 60) / records);
}

const SECONDS_PER_HOUR = 3600;

/** Capacity units to provision for `unitsPerHour` request units on average, `peakToMean` at the busiest minute. */
export function provisionedUnitsFor(
  unitsPerHour: number,
  peakToMean: number,
  scaling: AutoScaling = LEDGER_AUTO_SCALING,
): number {
  if (!(unitsPerHour >= 0)) throw new RangeError('unitsPerHour must be a number ≥ 0');
  if (!(peakToMean >= 1)) throw new RangeError('peakToMean must be a number ≥ 1');
  const mean = unitsPerHour / SECONDS_PER_HOUR;
  return Math.max(scaling.minimumUnits, Math.ceil((mean * peakToMean) / scaling.targetUtilization));
}
