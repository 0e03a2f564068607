import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEDGER_AUTO_SCALING, peakToMeanOf, provisionedUnitsFor } from '#schedules/cost/capacity.ts';
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
