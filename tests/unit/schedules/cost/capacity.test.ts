import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEDGER_AUTO_SCALING, provisionedUnitsFor } from '#schedules/cost/capacity.ts';

const hourly = fc.double({ min: 0, max: 1e9, noNaN: true });

describe('provisioned capacity for the ledger table', () => {
  it('holds a round’s peak at auto scaling’s target utilization, never below the table’s minimum', () => {
    fc.assert(
      fc.property(hourly, (unitsPerHour) => {
        const units = provisionedUnitsFor(unitsPerHour);
        const peak = (unitsPerHour / 3600) * LEDGER_AUTO_SCALING.peakToMean;
        expect(units).toBeGreaterThanOrEqual(LEDGER_AUTO_SCALING.minimumUnits);
        expect(units * LEDGER_AUTO_SCALING.targetUtilization).toBeGreaterThanOrEqual(peak - 1e-6);
        expect((units - 1) * LEDGER_AUTO_SCALING.targetUtilization).toBeLessThan(
          Math.max(peak, LEDGER_AUTO_SCALING.minimumUnits * LEDGER_AUTO_SCALING.targetUtilization),
        );
      }),
    );
  });

  it('never gives fewer units for more load', () => {
    fc.assert(
      fc.property(hourly, hourly, (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(provisionedUnitsFor(low)).toBeLessThanOrEqual(provisionedUnitsFor(high));
      }),
    );
  });

  it('refuses a load that is not a number of units', () => {
    expect(() => provisionedUnitsFor(Number.NaN)).toThrow(RangeError);
    expect(() => provisionedUnitsFor(-1)).toThrow(RangeError);
  });
});
