import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { phaseOf, ThreePhaseMeter } from '#device-sim/cabinet/three-phase-meter.ts';

describe('ThreePhaseMeter', () => {
  it('counts the luminaires of each phase plus the line loss, the total being the sum of the phases', () => {
    const meter = new ThreePhaseMeter(3);
    for (const [i, wh] of [100, 200, 300, 400].entries()) meter.add(phaseOf(i), wh);
    const { phasesWh, totalWh } = meter.reading();
    expect(phasesWh.map((wh) => Math.round(wh * 100) / 100)).toEqual([515, 206, 309]);
    expect(totalWh).toBeCloseTo(1030, 9);
  });

  it('gives the sum of its luminaires’ energy and the loss share, whatever the order and the phases', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { maxLength: 50 }),
        fc.double({ min: 0, max: 20, noNaN: true }),
        (energies, loss) => {
          const meter = new ThreePhaseMeter(loss);
          for (const [i, wh] of energies.entries()) meter.add(phaseOf(i), wh);
          const sum = energies.reduce((a, b) => a + b, 0);
          expect(meter.reading().totalWh).toBeCloseTo(sum * (1 + loss / 100), 6);
        },
      ),
    );
  });

  it('never runs backwards and refuses a negative energy or an implausible loss', () => {
    const meter = new ThreePhaseMeter(0);
    expect(() => meter.add(0, -1)).toThrow(RangeError);
    expect(() => new ThreePhaseMeter(25)).toThrow(RangeError);
    expect(meter.reading().totalWh).toBe(0);
  });
});
