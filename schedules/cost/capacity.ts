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

/** The busiest minute the provisioned capacity holds: that of 999 months in 1,000. */
export const PEAK_QUANTILE = 0.999;
const MINUTES_PER_MONTH = 30 * 24 * 60;

/** h(x) = x ln x − x + 1: the exponent of a Poisson count's Chernoff bound at x × its mean. */
const chernoffExponent = (x: number): number => x * Math.log(x) - x + 1;

/**
 * The busiest minute over the mean minute, for `meanPerMinute` reports a minute sent by devices each
 * at its own fixed, uniformly hashed instant of the window (ADR 0017, 15.). A minute's count is
 * binomial, its upper tail below a Poisson count's Chernoff bound: P(count ≥ k) ≤ exp(−μ h(k / μ)).
 * The smallest k whose bound, over a month of minutes taken as independent (with fixed instants they
 * repeat every period: the safe side), leaves at most 1 − `quantile` of months busier.
 */
export function uniformPhasePeakToMean(meanPerMinute: number, quantile = PEAK_QUANTILE): number {
  if (!(meanPerMinute > 0 && Number.isFinite(meanPerMinute)))
    throw new RangeError('meanPerMinute must be a finite number > 0');
  if (!(quantile > 0 && quantile < 1)) throw new RangeError('quantile must be within (0, 1)');
  const exponent = Math.log(MINUTES_PER_MONTH / (1 - quantile)) / meanPerMinute;
  let [low, high] = [1, 2];
  while (chernoffExponent(high) < exponent) [low, high] = [high, high * 2];
  for (let i = 0; i < 100 && high - low > 1e-12 * high; i++) {
    const middle = (low + high) / 2;
    if (chernoffExponent(middle) < exponent) low = middle;
    else high = middle;
  }
  return Math.ceil(meanPerMinute * high - 1e-9) / meanPerMinute;
}

/**
 * The ledger's (and the stream's) peak-to-mean at a fleet of `luminaires`, for a run whose agents
 * spread their reports over `reportSpreadSeconds` of each period: the fleet's mean minute within
 * that window, at its busiest by `uniformPhasePeakToMean`. A run that does not say its spread, or
 * whose own busiest minute is beyond what uniform instants explain at its size (reports bunched by
 * something else), keeps its measured peak-to-mean.
 */
export function fleetPeakToMean(measurement: Measurement, luminaires: number): number {
  const measured = peakToMeanOf(measurement);
  const spread = measurement.reportSpreadSeconds;
  const { records } = measurement.usage.kinesis;
  if (spread === undefined || records === 0) return measured;
  // A window shorter than a minute holds a whole round in one minute.
  const window =
    Math.min(measurement.telemetryEverySeconds, Math.max(60, spread)) / measurement.telemetryEverySeconds;
  const runMean = records / (measurement.simulatedHours * 60);
  const busiest = (meanPerMinute: number) => uniformPhasePeakToMean(meanPerMinute / window) / window;
  if (measured > busiest(runMean)) return measured;
  return busiest((runMean * luminaires) / measurement.luminaires);
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
