import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeShadowPlan, encodeShadowPlan, plannedLevelAt } from '../../protocol/plan-codec.ts';

const sortedSteps = fc
  .array(fc.record({ gap: fc.integer({ min: 0, max: 20_000 }), level: fc.integer({ min: 0, max: 100 }) }), {
    minLength: 1,
    maxLength: 40,
  })
  .map((raw) => {
    let at = 1_790_000_000;
    return raw.map(({ gap, level }) => {
      at += gap;
      return { at, level };
    });
  });

describe('shadow plan codec', () => {
  it('decodes exactly what it encoded', () => {
    fc.assert(
      fc.property(sortedSteps, (steps) => {
        const last = steps.at(-1)?.at ?? 0;
        expect(decodeShadowPlan(encodeShadowPlan(steps, last + 1))).toEqual(steps);
      }),
    );
  });

  it('gives the same hash for the same plan and a different one when a level changes', () => {
    const steps = [
      { at: 1_790_000_000, level: 100 },
      { at: 1_790_010_000, level: 0 },
    ];
    const a = encodeShadowPlan(steps, 1_790_100_000);
    expect(encodeShadowPlan(steps, 1_790_100_000).h).toBe(a.h);
    expect(encodeShadowPlan([steps[0] as never, { at: 1_790_010_000, level: 30 }], 1_790_100_000).h).not.toBe(
      a.h,
    );
  });

  it('answers the level in force, and null outside the covered period', () => {
    const plan = encodeShadowPlan(
      [
        { at: 1000, level: 100 },
        { at: 2000, level: 50 },
        { at: 3000, level: 0 },
      ],
      5000,
    );
    expect(plannedLevelAt(plan, 999)).toBeNull();
    expect(plannedLevelAt(plan, 1000)).toBe(100);
    expect(plannedLevelAt(plan, 2500)).toBe(50);
    expect(plannedLevelAt(plan, 4999)).toBe(0);
    expect(plannedLevelAt(plan, 5000)).toBeNull();
  });

  it('rejects unsorted steps', () => {
    expect(() =>
      encodeShadowPlan(
        [
          { at: 2000, level: 1 },
          { at: 1000, level: 2 },
        ],
        3000,
      ),
    ).toThrow(RangeError);
  });

  it('keeps an 8-night plan of a dimming profile well under 1 KB', () => {
    const steps = [];
    for (let night = 0; night < 8; night++) {
      const base = 1_790_000_000 + night * 86_400;
      steps.push({ at: base, level: 100 }, { at: base + 9000, level: 70 }, { at: base + 16_200, level: 0 });
      steps.push({ at: base + 32_400, level: 70 }, { at: base + 36_000, level: 0 });
    }
    const size = JSON.stringify({
      state: { desired: { plan: encodeShadowPlan(steps, 1_790_700_000) } },
    }).length;
    expect(size).toBeLessThan(600);
  });
});
