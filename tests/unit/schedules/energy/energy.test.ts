import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  burningHours,
  energyValue,
  ledEnergyWh,
  litTime,
  NO_CIRCUITS,
  planNight,
  splitSavings,
  type Transition,
} from '#schedules/index.ts';
import { luminaire, withResidentialFade } from '#tests/support/schedules/fixtures.ts';

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

  it('integrates a fade between two lit levels as a ramp; switching on and off stays immediate', () => {
    const transitions = [
      { at: 0, level: 100 },
      { at: 2 * H, level: 50 },
      { at: 4 * H, level: 0 },
      { at: 8 * H, level: 70 },
      { at: 9 * H, level: 30 },
      { at: 10 * H, level: 0 },
    ];
    const steps = 2 * H + 1 * H + 0.7 * H + 0.3 * H;
    // 100 → 50 over 600 s burns 600 × 75 % where a step burns 600 × 50 %: 150 s more at full power;
    // 70 → 30: 600 × 20 % = 120 s more.
    expect(litTime(transitions).fullPowerSeconds).toBeCloseTo(steps, 9);
    expect(litTime(transitions, 600).fullPowerSeconds).toBeCloseTo(steps + 150 + 120, 9);
    expect(litTime(transitions, 600).litSeconds).toBe(6 * H);
    // A fade longer than the time to the next change ends at that change: 100 → 50 ramps 2 h.
    expect(litTime(transitions, 3 * H).fullPowerSeconds).toBeCloseTo(steps + 0.25 * 2 * H + 0.2 * H, 9);
  });

  it('puts the energy with fades halfway between the plan stepping at each change and stepping a fade later', () => {
    const plan = fc
      .array(
        fc.record({ gap: fc.integer({ min: 1, max: 4 * H }), level: fc.integer({ min: 0, max: 100 }) }),
        {
          maxLength: 12,
        },
      )
      .map((raw) => {
        let at = 0;
        const transitions: Transition[] = raw.map(({ gap, level }) => {
          at += gap;
          return { at, level };
        });
        return [...transitions, { at: at + 1, level: 0 }];
      });
    fc.assert(
      fc.property(plan, fc.integer({ min: 0, max: 600 }), (transitions, fade) => {
        // Each change between lit levels moved later by its ramp (never past the next change).
        const late = transitions.map((t, i) => {
          const previous = transitions[i - 1];
          const next = transitions[i + 1];
          const lit =
            previous !== undefined && previous.level > 0 && t.level > 0 && previous.level !== t.level;
          return lit && next !== undefined
            ? { at: t.at + Math.min(fade, next.at - t.at), level: t.level }
            : t;
        });
        const stepped = litTime(transitions).fullPowerSeconds;
        const delayed = litTime(late).fullPowerSeconds;
        const faded = litTime(transitions, fade);
        expect(faded.fullPowerSeconds).toBeGreaterThanOrEqual(Math.min(stepped, delayed) - 1e-9);
        expect(faded.fullPowerSeconds).toBeLessThanOrEqual(Math.max(stepped, delayed) + 1e-9);
        expect(faded.fullPowerSeconds).toBeCloseTo((stepped + delayed) / 2, 9);
        expect(faded.litSeconds).toBe(litTime(transitions).litSeconds);
      }),
    );
  });

  it("plans a night's energy with the profile's fade", () => {
    const l = luminaire({ ledWatts: 40 });
    const energy = (fadeSeconds: number) =>
      planNight(withResidentialFade(fadeSeconds), [l], '2026-06-21', NO_CIRCUITS).luminaires[0]?.energyWh;
    // Only 22:30 (100 → 70) joins two lit levels: 60 s × 30 % / 2 = 9 s at 40 W = 0.1 Wh.
    expect((energy(60) as number) - (energy(0) as number)).toBeCloseTo(0.1, 9);
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
