import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_FADE_SECONDS,
  MAX_PLAN_JSON_BYTES,
  MAX_PLAN_NUMBERS,
  SHADOW_STATE_MAX_BYTES,
} from '#protocol/limits.ts';
import {
  decodeFades,
  decodeShadowPlan,
  encodeShadowPlan,
  PlanTooLarge,
  plannedLevelAt,
  rampedSteps,
} from '#protocol/plan-codec.ts';
import { ShadowPlan } from '#protocol/shadows.ts';

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

  it('carries fade changes and decodes them, leaving out those that change nothing', () => {
    fc.assert(
      fc.property(
        sortedSteps,
        fc.array(fc.integer({ min: 0, max: MAX_FADE_SECONDS }), { maxLength: 14 }),
        (steps, seconds) => {
          const at = (i: number) => (steps[Math.min(i, steps.length - 1)] as { at: number }).at;
          const fades = seconds.map((s, i) => ({ at: at(i), seconds: s }));
          const plan = encodeShadowPlan(steps, at(steps.length) + 1, 100, fades);
          expect(ShadowPlan.parse(plan)).toEqual(plan);
          expect(decodeShadowPlan(plan)).toEqual(steps);
          // Naively: the fade in force at each step is the last change at or before it, 0 before any.
          const inForce = (t: number) => fades.filter((f) => f.at <= t).at(-1)?.seconds ?? 0;
          const decoded = decodeFades(plan);
          const decodedInForce = (t: number) => decoded.filter((f) => f.at <= t).at(-1)?.seconds ?? 0;
          for (const step of steps) expect(decodedInForce(step.at)).toBe(inForce(step.at));
          expect(decoded.every((f, i) => f.seconds !== (decoded[i - 1]?.seconds ?? 0))).toBe(true);
        },
      ),
    );
  });

  it('leaves f out of a plan without fades, so its hash is the one it had before fades existed', () => {
    const steps = [
      { at: 1_790_000_000, level: 100 },
      { at: 1_790_010_000, level: 0 },
    ];
    const plain = encodeShadowPlan(steps, 1_790_100_000);
    expect(plain).not.toHaveProperty('f');
    // The hash this plan had before plans carried fades.
    expect(plain.h).toBe('8kZ3iCOcz4_2');
    expect(encodeShadowPlan(steps, 1_790_100_000, 100, [{ at: 1_790_000_000, seconds: 0 }])).toEqual(plain);
    const faded = encodeShadowPlan(steps, 1_790_100_000, 100, [{ at: 1_790_000_000, seconds: 5 }]);
    expect(faded.f).toEqual([0, 5]);
    expect(faded.h).not.toBe(plain.h);
  });

  it('ramps only between lit levels, and never past the next change', () => {
    const plan = encodeShadowPlan(
      [
        { at: 1000, level: 100 },
        { at: 2000, level: 50 },
        { at: 2030, level: 60 },
        { at: 3000, level: 0 },
        { at: 4000, level: 70 },
      ],
      4040,
      100,
      [{ at: 1000, seconds: 60 }],
    );
    expect(rampedSteps(plan).map((step) => step.rampEnd - step.at)).toEqual([0, 30, 60, 0, 0]);
    expect(rampedSteps(plan)[1]).toEqual({ at: 2000, level: 50, from: 100, rampEnd: 2030 });
  });

  it('refuses to encode a plan a controller would refuse', () => {
    const steps = Array.from({ length: MAX_PLAN_NUMBERS / 2 + 1 }, (_, i) => ({
      at: 1000 + i,
      level: i % 2,
    }));
    expect(() => encodeShadowPlan(steps, 10_000)).toThrow(PlanTooLarge);
    expect(() => encodeShadowPlan(steps.slice(1), 10_000)).not.toThrow();
    expect(
      ShadowPlan.safeParse({ ...encodeShadowPlan(steps.slice(1), 10_000), s: Array(402).fill(0) }).success,
    ).toBe(false);
  });

  it('keeps the largest plan a controller takes, held twice in the shadow, under the AWS state limit', () => {
    // 200 changes 14 nights apart at most (7-digit dt), levels of 3 digits, a fade change every night.
    const steps = Array.from({ length: MAX_PLAN_NUMBERS / 2 }, (_, i) => ({
      at: 4_000_000_000 + i * 1_209_599,
      level: 100 - (i % 2),
    }));
    const fades = Array.from({ length: 14 }, (_, i) => ({
      at: (steps[i * 10] as { at: number }).at,
      seconds: 600 - i,
    }));
    const plan = encodeShadowPlan(steps, 4_000_000_000, 100, fades);
    const json = JSON.stringify(plan);
    expect(json.length).toBeLessThanOrEqual(MAX_PLAN_JSON_BYTES);
    const shadow = JSON.stringify({ desired: { plan }, reported: { plan } });
    expect(shadow.length).toBeLessThan(SHADOW_STATE_MAX_BYTES);
  });
});
