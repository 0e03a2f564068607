import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixedWorkOf, type RunWork, splitUsage } from '#schedules/cost/run-scaling.ts';
import type { RunSample } from '#schedules/cost/usage.ts';
import { measurementOf } from './fixtures.ts';

const amount = fc.double({ min: 0, max: 10_000, noNaN: true });
const work = fc.record({ cpuMs: amount, dynamodb: amount, readUnits: amount, writeUnits: amount });
const small = fc.double({ min: 0, max: 10, noNaN: true });
const perLuminaire = fc.record({ cpuMs: small, dynamodb: small, readUnits: small, writeUnits: small });
type Work = { cpuMs: number; dynamodb: number; readUnits: number; writeUnits: number };
const sizes = fc
  .tuple(fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 1, max: 5_000 }))
  .filter(([a, b]) => a !== b);

/** A run of `luminaires` doing `fixed` whatever the fleet and `each` per luminaire. */
const runOf = (luminaires: number, fixed: Work, each: Work): RunSample => ({
  luminaires,
  cpuMs: fixed.cpuMs + each.cpuMs * luminaires,
  awsRounds: { dynamodb: fixed.dynamodb + each.dynamodb * luminaires },
  readUnits: fixed.readUnits + each.readUnits * luminaires,
  writeUnits: fixed.writeUnits + each.writeUnits * luminaires,
});

const parts = (w: RunWork) => [w.cpuMs, w.awsRounds.dynamodb ?? 0, w.readUnits, w.writeUnits];

describe("a scheduled run's fixed part", () => {
  it('is what every run pays whatever the fleet, when work is fixed plus per luminaire', () => {
    fc.assert(
      fc.property(sizes, work, perLuminaire, ([a, b], fixed, each) => {
        const found = fixedWorkOf([runOf(a, fixed, each), runOf(b, fixed, each)], runOf(a, fixed, each));
        const expected = [fixed.cpuMs, fixed.dynamodb, fixed.readUnits, fixed.writeUnits];
        parts(found).forEach((value, i) => {
          expect(value).toBeCloseTo(expected[i] as number, 1);
        });
      }),
    );
  });

  it('is never below nothing nor above the measured run, whatever two samples say', () => {
    const sample = fc.record({
      luminaires: fc.integer({ min: 1, max: 5_000 }),
      cpuMs: amount,
      awsRounds: fc.record({ dynamodb: amount }),
      readUnits: amount,
      writeUnits: amount,
    });
    fc.assert(
      fc.property(sample, sample, sample, (a, b, measured) => {
        const found = fixedWorkOf([a, b], measured);
        parts(found).forEach((value, i) => {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(parts(measured)[i] as number);
        });
      }),
    );
  });

  it('splits a function into a fixed and a growing part that add up to what was measured', () => {
    const sweep = measurementOf(136).usage.functions['alarm-sweep'];
    if (sweep === undefined) throw new Error('fixture without the sweep');
    const fixed = { cpuMs: 200, dynamodb: 40, readUnits: 30, writeUnits: 0 };
    const each = { cpuMs: 0.1, dynamodb: 0.001, readUnits: 0.5, writeUnits: 0 };
    const run = runOf(136, fixed, each);
    const fn = {
      ...sweep,
      requests: 96,
      cpuMs: run.cpuMs * 96,
      awsRounds: { dynamodb: (run.awsRounds.dynamodb ?? 0) * 96 },
      readUnits: run.readUnits * 96,
      runAtSizes: [run, runOf(2_823, fixed, each)] as [RunSample, RunSample],
    };
    const split = splitUsage(fn);
    expect(split.fixed.cpuMs).toBeCloseTo(200 * 96, 6);
    expect(split.fixed.readUnits).toBeCloseTo(30 * 96, 6);
    expect(split.fixed.cpuMs + split.growing.cpuMs).toBeCloseTo(fn.cpuMs, 6);
    expect((split.fixed.awsRounds.dynamodb ?? 0) + (split.growing.awsRounds.dynamodb ?? 0)).toBeCloseTo(
      fn.awsRounds.dynamodb,
      6,
    );
    expect(split.growing.logBytes).toBe(fn.logBytes);
  });

  it('leaves all of a function growing when it was not measured at two sizes', () => {
    const telemetry = measurementOf(136).usage.functions.telemetry;
    if (telemetry === undefined) throw new Error('fixture without telemetry');
    const split = splitUsage(telemetry);
    expect(split.growing).toEqual(telemetry);
    expect(parts(split.fixed)).toEqual([0, 0, 0, 0]);
  });
});
