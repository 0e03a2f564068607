import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lastDayOfMonth, splitPeriod } from '#schedules/report/periods.ts';
import { addDays } from '#schedules/time/local-date.ts';

describe('splitting a report period', () => {
  it('reads a calendar year from month rollups only', () => {
    expect(splitPeriod('2025-01-01', '2025-12-31')).toEqual({
      wholeMonths: { from: '2025-01-01', to: '2025-12-31' },
      partialNights: [],
    });
  });

  it('reads the partial months at both edges from night rollups', () => {
    expect(splitPeriod('2025-01-15', '2025-03-10')).toEqual({
      wholeMonths: { from: '2025-02-01', to: '2025-02-28' },
      partialNights: [
        { from: '2025-01-15', to: '2025-01-31' },
        { from: '2025-03-01', to: '2025-03-10' },
      ],
    });
  });

  it('keeps a period inside one month as nights', () => {
    expect(splitPeriod('2024-02-03', '2024-02-29')).toEqual({
      wholeMonths: null,
      partialNights: [{ from: '2024-02-03', to: '2024-02-29' }],
    });
    expect(splitPeriod('2024-02-01', '2024-02-28')).toEqual({
      wholeMonths: null,
      partialNights: [{ from: '2024-02-01', to: '2024-02-28' }],
    });
  });

  it('covers every night of the period exactly once', () => {
    const date = fc.integer({ min: 0, max: 900 }).map((d) => addDays('2024-01-01', d));
    fc.assert(
      fc.property(date, fc.integer({ min: 0, max: 400 }), (from, length) => {
        const to = addDays(from, length);
        const { wholeMonths, partialNights } = splitPeriod(from, to);
        const ranges = [...partialNights, ...(wholeMonths === null ? [] : [wholeMonths])];
        const nights = ranges.flatMap((r) => {
          const list: string[] = [];
          for (let d = r.from; d <= r.to; d = addDays(d, 1)) list.push(d);
          return list;
        });
        expect(nights.sort()).toEqual(Array.from({ length: length + 1 }, (_, i) => addDays(from, i)));
        if (wholeMonths !== null) {
          expect(wholeMonths.from.endsWith('-01')).toBe(true);
          expect(wholeMonths.to).toBe(lastDayOfMonth(wholeMonths.to.slice(0, 7)));
        }
      }),
    );
  });
});
