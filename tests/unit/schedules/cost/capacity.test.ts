import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fleetPeakToMean,
  LEDGER_AUTO_SCALING,
  PEAK_QUANTILE,
  peakToMeanOf,
  provisionedUnitsFor,
  uniformPhasePeakToMean,
} from '#schedules/cost/capacity.ts';
import { measurementOf } from './fixtures.ts';

const hourly = fc.double({ min: 0, max: 1e9, noNaN: true });
const peakToMean = fc.double({ min: 1, max: 20, noNaN: true });

describe('provisioned capacity for the ledger table', () => {
  it('holds the busiest minute at auto scaling’s target utilization, never below the table’s minimum', () => {
    fc.assert(
      fc.property(hourly, peakToMean, (unitsPerHour, ratio) => {
        const units = provisionedUnitsFor(unitsPerHour, ratio);
        const peak = (unitsPerHour / 3600) * ratio;
        expect(units).toBeGreaterThanOrEqual(LEDGER_AUTO_SCALING.minimumUnits);
        expect(units * LEDGER_AUTO_SCALING.targetUtilization).toBeGreaterThanOrEqual(peak - 1e-6);
        expect((units - 1) * LEDGER_AUTO_SCALING.targetUtilization).toBeLessThan(
          Math.max(peak, LEDGER_AUTO_SCALING.minimumUnits * LEDGER_AUTO_SCALING.targetUtilization),
        );
      }),
    );
  });

  it('never gives fewer units for more load or a busier peak', () => {
    fc.assert(
      fc.property(hourly, hourly, peakToMean, peakToMean, (a, b, p, q) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const [calm, busy] = p <= q ? [p, q] : [q, p];
        expect(provisionedUnitsFor(low, calm)).toBeLessThanOrEqual(provisionedUnitsFor(high, busy));
      }),
    );
  });

  it('refuses a load that is not a number of units, or a peak below the mean', () => {
    expect(() => provisionedUnitsFor(Number.NaN, 1)).toThrow(RangeError);
    expect(() => provisionedUnitsFor(-1, 1)).toThrow(RangeError);
    expect(() => provisionedUnitsFor(100, 0.5)).toThrow(RangeError);
  });
});

describe('the ledger’s peak-to-mean in a measured run', () => {
  it('is the busiest minute’s stream records over the mean minute’s', () => {
    const measurement = measurementOf(136);
    measurement.usage.kinesis = { ...measurement.usage.kinesis, records: 14_400, peakMinuteRecords: 15 };
    expect(peakToMeanOf(measurement)).toBeCloseTo(1.5, 12);
  });

  it('is at least one, whatever the counts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e7 }), fc.integer({ min: 0, max: 1e5 }), (records, peak) => {
        const measurement = measurementOf(10);
        measurement.usage.kinesis = { ...measurement.usage.kinesis, records, peakMinuteRecords: peak };
        expect(peakToMeanOf(measurement)).toBeGreaterThanOrEqual(1);
      }),
    );
  });

  it('of a run measured before the busiest minute was counted, is the former 2-minute spread’s', () => {
    const measurement = measurementOf(136);
    const { peakMinuteRecords: _, ...kinesis } = measurement.usage.kinesis;
    measurement.usage.kinesis = kinesis;
    expect(peakToMeanOf(measurement)).toBe(900 / 120);
  });
});

const MONTH_MINUTES = 30 * 24 * 60;
/** P(count ≥ k) for a Poisson count of mean μ, summed in log space (no overflow at large μ). */
function poissonTail(mu: number, k: number): number {
  let logTerm = -mu;
  for (let j = 1; j <= k; j++) logTerm += Math.log(mu / j);
  let sum = 0;
  for (let j = k; j < k + 20 * Math.sqrt(mu) + 50; j++) {
    sum += Math.exp(logTerm);
    logTerm += Math.log(mu / (j + 1));
  }
  return sum;
}

describe('the busiest minute of devices reporting at uniformly hashed instants', () => {
  const mean = fc.double({ min: 0.05, max: 1e6, noNaN: true });

  it('is at least the mean and falls towards it as the fleet grows', () => {
    fc.assert(
      fc.property(mean, mean, (a, b) => {
        const [small, large] = a <= b ? [a, b] : [b, a];
        expect(uniformPhasePeakToMean(small)).toBeGreaterThanOrEqual(1);
        // A whole report of rounding at most: the ratio is a count over the mean.
        expect(uniformPhasePeakToMean(large)).toBeLessThanOrEqual(uniformPhasePeakToMean(small) + 1 / small);
      }),
    );
  });

  it('is a count that a month of minutes exceeds with at most 1 − the quantile', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 20_000, noNaN: true }), (mu) => {
        const peak = Math.round(uniformPhasePeakToMean(mu) * mu);
        expect(MONTH_MINUTES * poissonTail(mu, peak)).toBeLessThanOrEqual(1 - PEAK_QUANTILE);
      }),
      { numRuns: 40 },
    );
  });

  it('is within a few standard deviations of the mean for a city: 13,333 reports a minute, within 6 %', () => {
    const ratio = uniformPhasePeakToMean(13_333);
    expect(ratio).toBeGreaterThan(1 + 4 / Math.sqrt(13_333));
    expect(ratio).toBeLessThan(1.06);
  });

  it('refuses a mean that is not a positive number, or a quantile outside (0, 1)', () => {
    expect(() => uniformPhasePeakToMean(0)).toThrow(RangeError);
    expect(() => uniformPhasePeakToMean(Number.NaN)).toThrow(RangeError);
    expect(() => uniformPhasePeakToMean(10, 1)).toThrow(RangeError);
  });
});

describe('the ledger’s peak-to-mean at a fleet size', () => {
  const spreadOver = (seconds: number | undefined, peakMinuteRecords: number) => {
    const measurement = measurementOf(136);
    measurement.usage.kinesis = { ...measurement.usage.kinesis, peakMinuteRecords };
    return seconds === undefined ? measurement : { ...measurement, reportSpreadSeconds: seconds };
  };

  it('at 200,000 reporting over the whole period, is the uniform instants’ busiest minute, not the small run’s', () => {
    const measurement = spreadOver(900, 14);
    expect(peakToMeanOf(measurement)).toBeGreaterThan(1.5);
    // 136 luminaires' 96 reports a day, scaled to 200,000: 13,333 a minute.
    expect(fleetPeakToMean(measurement, 200_000)).toBeCloseTo(uniformPhasePeakToMean(40_000 / 3), 9);
  });

  it('of reports spread over part of the period, is that part’s busiest minute times the period over it', () => {
    const measurement = spreadOver(120, 70);
    const inWindow = (40_000 / 3) * 7.5;
    expect(fleetPeakToMean(measurement, 200_000)).toBeCloseTo(7.5 * uniformPhasePeakToMean(inWindow), 9);
  });

  it('keeps the measured peak of a run that does not say its spread, or is busier than its spread explains', () => {
    expect(fleetPeakToMean(spreadOver(undefined, 14), 200_000)).toBe(peakToMeanOf(spreadOver(undefined, 14)));
    const bunched = spreadOver(900, 60);
    expect(fleetPeakToMean(bunched, 200_000)).toBe(peakToMeanOf(bunched));
  });

  it('never falls with a narrower spread, and never under the mean', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 900 }),
        fc.integer({ min: 0, max: 900 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (a, b, fleet) => {
          const [narrow, wide] = a <= b ? [a, b] : [b, a];
          const narrowPeak = fleetPeakToMean(spreadOver(narrow, 10), fleet);
          expect(fleetPeakToMean(spreadOver(wide, 10), fleet)).toBeLessThanOrEqual(narrowPeak + 1e-9);
          expect(fleetPeakToMean(spreadOver(wide, 10), fleet)).toBeGreaterThanOrEqual(1);
        },
      ),
    );
  });
});
