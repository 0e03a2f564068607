import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type RunWork, runLineOf, splitUsage } from '#schedules/cost/run-scaling.ts';
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
        const line = runLineOf([runOf(a, fixed, each), runOf(b, fixed, each)]);
        const expected = [fixed.cpuMs, fixed.dynamodb, fixed.readUnits, fixed.writeUnits];
        parts(line.fixed).forEach((value, i) => {
          expect(value).toBeCloseTo(expected[i] as number, 1);
        });
        const slope = [each.cpuMs, each.dynamodb, each.readUnits, each.writeUnits];
        parts(line.perLuminaire).forEach((value, i) => {
          expect(value).toBeCloseTo(slope[i] as number, 6);
        });
      }),
    );
  });

  it('is never below nothing, nor is its slope, nor above the smaller sample, whatever two samples say', () => {
    const sample = fc.record({
      luminaires: fc.integer({ min: 1, max: 5_000 }),
      cpuMs: amount,
      awsRounds: fc.record({ dynamodb: amount }),
      readUnits: amount,
      writeUnits: amount,
    });
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const line = runLineOf([a, b]);
        const smaller = a.luminaires <= b.luminaires ? a : b;
        parts(line.fixed).forEach((value, i) => {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual((parts(smaller)[i] as number) + 1e-9);
        });
        for (const value of parts(line.perLuminaire)) expect(value).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('prices a function measured alone at two sizes from that line: fixed per run, the rest per luminaire', () => {
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
    const split = splitUsage({ ...fn, cpuMs: fn.cpuMs * 3 }, 136);
    expect(split.fixed.cpuMs).toBeCloseTo(200 * 96, 6);
    expect(split.fixed.readUnits).toBeCloseTo(30 * 96, 6);
    // The day's runs (here three times as slow, a cold and loaded run) do not count: the line does.
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
    const split = splitUsage(telemetry, 136);
    expect(split.growing).toEqual(telemetry);
    expect(parts(split.fixed)).toEqual([0, 0, 0, 0]);
  });
});
