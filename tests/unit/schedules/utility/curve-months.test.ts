import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyImport, curveMonths, curveSpan, joinMonths, monthOf } from '#schedules/utility/curve-months.ts';

const HALF_HOUR = 1800;
/** 2026-01-01T00:00Z. */
const T0 = 1_767_225_600;

const curveOf = (points: readonly (readonly [number, number])[]) => ({
  starts: Float64Array.from(points, ([slot]) => T0 + slot * HALF_HOUR),
  powerW: Float64Array.from(points, ([, w]) => w),
});

/** Up to three months of half-hour slots with a power each, in any order. */
const points = fc.array(fc.tuple(fc.integer({ min: 0, max: 4300 }), fc.integer({ min: 0, max: 300_000 })), {
  maxLength: 60,
});

/** What the import does with a point's months: the stored ones the file's span overlaps are replaced. */
const importInto = (stored: ReturnType<typeof curveMonths>, file: ReturnType<typeof curveOf>) => {
  const span = curveSpan(file, HALF_HOUR);
  const overlaps = (month: string) => month >= monthOf(span.from) && month <= monthOf(span.to - 1);
  return [
    ...stored.filter((m) => !overlaps(m.month)),
    ...applyImport(
      stored.filter((m) => overlaps(m.month)),
      curveMonths('P', file, HALF_HOUR),
      span,
    ),
  ];
};

describe('curve months', () => {
  it('splits a curve into UTC months sorted by start, a repeated start keeping its last value', () => {
    const months = curveMonths(
      'P',
      curveOf([
        [1488, 5],
        [0, 1],
        [1487, 2],
        [0, 3],
      ]),
      HALF_HOUR,
    );
    expect(months.map((m) => [m.month, [...m.curve.powerW]])).toEqual([
      ['2026-01', [3, 2]],
      ['2026-02', [5]],
    ]);
  });

  it('an import applied twice leaves what it left once', () => {
    fc.assert(
      fc.property(
        points,
        points.filter((p) => p.length > 0),
        (before, file) => {
          const stored = curveMonths('P', curveOf(before), HALF_HOUR);
          const once = importInto(stored, curveOf(file));
          const twice = importInto(once, curveOf(file));
          expect(joinMonths(twice)).toEqual(joinMonths(once));
        },
      ),
    );
  });

  it('keeps the stored values outside the imported span and takes the file inside it', () => {
    fc.assert(
      fc.property(
        points,
        points.filter((p) => p.length > 0),
        (before, file) => {
          const imported = curveOf(file);
          const span = curveSpan(imported, HALF_HOUR);
          const joined = joinMonths(importInto(curveMonths('P', curveOf(before), HALF_HOUR), imported));
          const outside = joinMonths(curveMonths('P', curveOf(before), HALF_HOUR));
          const kept = [...outside.starts].filter((s) => s < span.from || s >= span.to);
          const inside = [...joinMonths(curveMonths('P', imported, HALF_HOUR)).starts];
          expect([...joined.starts]).toEqual([...kept, ...inside].sort((a, b) => a - b));
        },
      ),
    );
  });
});
