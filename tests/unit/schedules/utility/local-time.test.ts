import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysInMonth, epochDayOfCivil } from '#schedules/utility/local-time.ts';

describe('epochDayOfCivil', () => {
  it('counts the days since 1970-01-01 as Date.UTC does, leap years and dates before 1970 included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1600, max: 2400 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (year, month, day) => {
          const d = Math.min(day, daysInMonth(year, month));
          expect(epochDayOfCivil(year, month, d)).toBe(Date.UTC(year, month - 1, d) / 86_400_000);
        },
      ),
    );
  });
});
