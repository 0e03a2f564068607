import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { burningHours, energyValue, ledEnergyWh, litTime, splitSavings } from '../../../schedules/index.ts';

const H = 3600;

describe('energy model', () => {
  it('integrates level x time over lit segments, and the time lit at all', () => {
    const transitions = [
      { at: 0, level: 100 },
      { at: 2 * H, level: 50 },
      { at: 4 * H, level: 0 },
      { at: 8 * H, level: 70 },
      { at: 10 * H, level: 0 },
    ];
    expect(litTime(transitions)).toEqual({ fullPowerSeconds: 2 * H + 1 * H + 1.4 * H, litSeconds: 6 * H });
    expect(litTime([])).toEqual({ fullPowerSeconds: 0, litSeconds: 0 });
  });

  it('charges rated LED watts x level while lit and standby watts the rest of the window', () => {
    const lit = { fullPowerSeconds: 4.4 * H, litSeconds: 6 * H };
    expect(ledEnergyWh(lit, 40, 0.5, 24 * H)).toBeCloseTo(40 * 4.4 + 0.5 * 18, 9);
  });

  it('counts full-night burning hours from sunset to sunrise inside the window', () => {
    expect(burningHours(20 * H, 30 * H, 12 * H, 36 * H)).toBe(10);
    expect(burningHours(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, 12 * H, 36 * H)).toBe(24);
    expect(burningHours(24 * H, 24 * H, 12 * H, 36 * H)).toBe(0);
  });

  it('saves 60 % replacing 125 W mercury by 70 W LED dimmed to 50 % for 7 h of a 12 h night', () => {
    const hours = 12;
    const baselineWh = 125 * hours;
    const ledFullWh = 70 * hours;
    const actualWh = 70 * (5 + 7 * 0.5);
    const split = splitSavings(baselineWh, ledFullWh, actualWh);
    expect(split.totalFraction).toBeCloseTo(1 - (70 * 8.5) / 1500, 9);
    expect(split.totalFraction).toBeGreaterThan(0.6);
    expect(split.ledConversionWh).toBe(55 * 12);
    expect(split.dimmingAndControlsWh).toBe(70 * 3.5);
  });

  it('splits savings into LED conversion and dimming that add up to the total', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (baselineWh, ledFullWh, actualWh) => {
          const split = splitSavings(baselineWh, ledFullWh, actualWh);
          expect(split.ledConversionWh + split.dimmingAndControlsWh).toBeCloseTo(split.totalWh, 3);
          expect(split.totalWh).toBeCloseTo(baselineWh - actualWh, 3);
        },
      ),
    );
  });

  it('values energy at the site tariff and emission factor', () => {
    expect(energyValue(2500, { tariffEurPerKwh: 0.2, co2KgPerKwh: 0.053 })).toEqual({
      kWh: 2.5,
      cost: 0.5,
      co2Kg: 2.5 * 0.053,
    });
  });
});
