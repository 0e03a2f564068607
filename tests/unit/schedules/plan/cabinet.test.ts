import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FedLuminaire, planCabinet } from '#schedules/plan/cabinet.ts';
import { appendTransition } from '#schedules/plan/timeline.ts';
import type { Transition } from '#schedules/plan/types.ts';

/** The level in force at `at` (0 before the first change). */
function levelAt(steps: readonly Transition[], at: number): number {
  let level = 0;
  for (const step of steps) {
    if (step.at > at) break;
    level = step.level;
  }
  return level;
}

/** Level changes as a plan has them: sorted, no two equal in a row; lit spans at random. */
const steps = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 100 })), { maxLength: 8 })
  .map((changes) => {
    const out: Transition[] = [];
    for (const [at, level] of [...changes].sort((a, b) => a[0] - b[0])) appendTransition(out, at, level);
    if (out.length > 0) appendTransition(out, 201, 0);
    return out;
  });

const fed: fc.Arbitrary<FedLuminaire[]> = fc.array(
  fc.record({
    luminaire: fc.record({
      id: fc.string(),
      controller: fc.constantFrom('node' as const, 'none' as const, undefined),
      minLevel: fc.integer({ min: 0, max: 50 }),
    }),
    steps,
  }),
  { minLength: 1, maxLength: 6 },
);

/** Every instant where something changes, and just after it. */
const instantsOf = (timelines: readonly (readonly Transition[])[]): number[] =>
  timelines.flatMap((t) => t.flatMap((step) => [step.at, step.at + 0.5]));

describe('planCabinet', () => {
  it('lights no luminaire while its cabinet is off', () => {
    fc.assert(
      fc.property(fed, (luminaires) => {
        const plan = planCabinet(luminaires);
        const all = [plan.steps, ...luminaires.map((l) => l.steps), ...plan.luminaires.map((l) => l.steps)];
        for (const at of instantsOf(all)) {
          if (levelAt(plan.steps, at) > 0) continue;
          for (const behind of plan.luminaires) expect(levelAt(behind.steps, at)).toBe(0);
        }
      }),
    );
  });

  it('is on whenever a luminaire without its own controller asks for light, no darker than it asks', () => {
    fc.assert(
      fc.property(fed, (luminaires) => {
        const plan = planCabinet(luminaires);
        luminaires.forEach(({ luminaire, steps: own }, i) => {
          if (luminaire.controller !== 'none') return;
          for (const at of instantsOf([plan.steps, own])) {
            const asked = levelAt(own, at);
            if (asked === 0) continue;
            expect(levelAt(plan.steps, at)).toBeGreaterThanOrEqual(asked);
            expect(levelAt(plan.luminaires[i]?.steps ?? [], at)).toBeGreaterThanOrEqual(
              Math.max(asked, luminaire.minLevel),
            );
          }
        });
      }),
    );
  });

  it('keeps the plan of a luminaire with its own controller wherever the contactor is closed', () => {
    fc.assert(
      fc.property(fed, (luminaires) => {
        const plan = planCabinet(luminaires);
        const nodeOnly = luminaires.every((l) => l.luminaire.controller !== 'none');
        luminaires.forEach(({ luminaire, steps: own }, i) => {
          if (luminaire.controller === 'none') return;
          for (const at of instantsOf([plan.steps, own])) {
            const closed = levelAt(plan.steps, at) > 0;
            // A cabinet of node luminaires only closes for any of them: none is cut.
            if (nodeOnly) expect(closed || levelAt(own, at) === 0).toBe(true);
            expect(levelAt(plan.luminaires[i]?.steps ?? [], at)).toBe(closed ? levelAt(own, at) : 0);
          }
        });
      }),
    );
  });

  it('dims the circuit to the highest level its node-less luminaires ask for and cuts a node luminaire outside it', () => {
    const plan = planCabinet([
      {
        luminaire: { id: 'a', controller: 'none', minLevel: 0 },
        steps: [
          { at: 10, level: 70 },
          { at: 50, level: 0 },
        ],
      },
      {
        luminaire: { id: 'b', controller: 'none', minLevel: 80 },
        steps: [
          { at: 20, level: 30 },
          { at: 60, level: 0 },
        ],
      },
      {
        luminaire: { id: 'c', minLevel: 0 },
        steps: [
          { at: 0, level: 100 },
          { at: 90, level: 0 },
        ],
      },
    ]);
    expect(plan.steps).toEqual([
      { at: 10, level: 70 },
      { at: 50, level: 30 },
      { at: 60, level: 0 },
    ]);
    expect(plan.luminaires.map((l) => l.steps)).toEqual([
      [
        { at: 10, level: 70 },
        { at: 50, level: 30 },
        { at: 60, level: 0 },
      ],
      [
        { at: 10, level: 80 },
        { at: 60, level: 0 },
      ],
      [
        { at: 10, level: 100 },
        { at: 60, level: 0 },
      ],
    ]);
  });
});
