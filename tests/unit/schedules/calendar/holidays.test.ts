import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  type CalendarRule,
  easterSunday,
  type FrenchHoliday,
  frenchHolidays,
  frenchHolidaysOn,
  ruleAppliesToNight,
  weekdayOf,
} from '#schedules/index.ts';

/**
 * An independent reference: Gauss's Easter algorithm with its two exceptions (Gregorian calendar),
 * as opposed to the anonymous Gregorian algorithm the core uses.
 */
function gaussEaster(year: number): string {
  const a = year % 19;
  const b = year % 4;
  const c = year % 7;
  const k = Math.floor(year / 100);
  const p = Math.floor((13 + 8 * k) / 25);
  const q = Math.floor(k / 4);
  const m = (15 - p + k - q) % 30;
  const n = (4 + k - q) % 7;
  const d = (19 * a + m) % 30;
  const e = (2 * b + 4 * c + 6 * d + n) % 7;
  let day = 22 + d + e;
  if (d === 29 && e === 6) day = 50;
  else if (d === 28 && e === 6 && (11 * m + 11) % 30 < 19) day = 49;
  return day <= 31
    ? `${year}-03-${String(day).padStart(2, '0')}`
    : `${year}-04-${String(day - 31).padStart(2, '0')}`;
}

const rule = (fields: Partial<CalendarRule>): CalendarRule => ({ profile: 'p', priority: 0, ...fields });

/** The nights of a year a rule takes. */
function nightsOfYear(r: CalendarRule, year: number): string[] {
  const nights: string[] = [];
  for (let night = `${year}-01-01`; night.startsWith(String(year)); night = addDays(night, 1)) {
    if (ruleAppliesToNight(r, night)) nights.push(night);
  }
  return nights;
}

describe('Easter', () => {
  it('falls on the known dates of 2026 to 2030 and on the extreme dates of the cycle', () => {
    expect([2026, 2027, 2028, 2029, 2030].map(easterSunday)).toEqual([
      '2026-04-05',
      '2027-03-28',
      '2028-04-16',
      '2029-04-01',
      '2030-04-21',
    ]);
    // The earliest (22 March) and latest (25 April) Easter Sundays.
    expect([1818, 2285, 1943, 2038].map(easterSunday)).toEqual([
      '1818-03-22',
      '2285-03-22',
      '1943-04-25',
      '2038-04-25',
    ]);
  });

  it('is a Sunday between 22 March and 25 April, any year from 1900 to 2200', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2200 }), (year) => {
        const easter = easterSunday(year);
        expect(weekdayOf(easter)).toBe('sun');
        expect(easter >= `${year}-03-22` && easter <= `${year}-04-25`).toBe(true);
      }),
    );
  });

  it("agrees with Gauss's algorithm for every Gregorian year to 4099", () => {
    for (let year = 1583; year <= 4099; year++)
      expect(easterSunday(year), String(year)).toBe(gaussEaster(year));
  });
});

describe('French public holidays', () => {
  it('falls on the known dates of 2026 to 2030, moveable feasts included', () => {
    const moveable = [2026, 2027, 2028, 2029, 2030].map((year) =>
      [...frenchHolidays(year)]
        .filter(([, names]) =>
          names.some((n) => ['goodFriday', 'easterMonday', 'ascension', 'whitMonday'].includes(n)),
        )
        .map(([date]) => date),
    );
    expect(moveable).toEqual([
      ['2026-04-03', '2026-04-06', '2026-05-14', '2026-05-25'],
      ['2027-03-26', '2027-03-29', '2027-05-06', '2027-05-17'],
      ['2028-04-14', '2028-04-17', '2028-05-25', '2028-06-05'],
      ['2029-03-30', '2029-04-02', '2029-05-10', '2029-05-21'],
      ['2030-04-19', '2030-04-22', '2030-05-30', '2030-06-10'],
    ]);
    expect(Object.fromEntries(frenchHolidays(2026))).toEqual({
      '2026-01-01': ['newYear'],
      '2026-04-03': ['goodFriday'],
      '2026-04-06': ['easterMonday'],
      '2026-05-01': ['labourDay'],
      '2026-05-08': ['victoryDay'],
      '2026-05-14': ['ascension'],
      '2026-05-25': ['whitMonday'],
      '2026-07-14': ['nationalDay'],
      '2026-08-15': ['assumption'],
      '2026-11-01': ['allSaints'],
      '2026-11-11': ['armistice'],
      '2026-12-25': ['christmas'],
      '2026-12-26': ['stStephen'],
    });
  });

  it('names both holidays of a date that holds two (Ascension on 1 May 2008)', () => {
    expect(frenchHolidaysOn('2008-05-01')).toEqual(['labourDay', 'ascension']);
    expect(frenchHolidaysOn('2026-07-13')).toEqual([]);
  });

  it('selects with "fr" exactly the nights starting on the 11 national holidays of any year', () => {
    const fixed = ['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25'];
    const fromEaster = [1, 39, 50];
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2200 }), (year) => {
        const expected = new Set([
          ...fixed.map((md) => `${year}-${md}`),
          ...fromEaster.map((days) => addDays(easterSunday(year), days)),
        ]);
        expect(nightsOfYear(rule({ holidays: ['fr'] }), year)).toEqual([...expected].sort());
      }),
      { numRuns: 40 },
    );
  });

  it('selects with any list of holidays exactly the nights starting on those holidays of a year', () => {
    // The law's table: a fixed date, or days after Easter Sunday.
    const when: Record<string, string | number> = {
      newYear: '01-01',
      goodFriday: -2,
      easterMonday: 1,
      labourDay: '05-01',
      victoryDay: '05-08',
      ascension: 39,
      whitMonday: 50,
      nationalDay: '07-14',
      assumption: '08-15',
      allSaints: '11-01',
      armistice: '11-11',
      christmas: '12-25',
      stStephen: '12-26',
    };
    const names = Object.keys(when) as FrenchHoliday[];
    fc.assert(
      fc.property(
        fc.subarray(names, { minLength: 1 }),
        fc.integer({ min: 1900, max: 2200 }),
        (chosen, year) => {
          const dates = chosen.map((name) => {
            const at = when[name] as string | number;
            return typeof at === 'string' ? `${year}-${at}` : addDays(easterSunday(year), at);
          });
          expect(nightsOfYear(rule({ holidays: chosen }), year)).toEqual([...new Set(dates)].sort());
        },
      ),
      { numRuns: 40 },
    );
  });

  it('adds Good Friday and 26 December for Alsace-Moselle, and selects single holidays by name', () => {
    const national = nightsOfYear(rule({ holidays: ['fr'] }), 2027);
    expect(nightsOfYear(rule({ holidays: ['fr-alsace-moselle'] }), 2027)).toEqual(
      [...national, '2027-03-26', '2027-12-26'].sort(),
    );
    expect(nightsOfYear(rule({ holidays: ['ascension', 'whitMonday'] }), 2027)).toEqual([
      '2027-05-06',
      '2027-05-17',
    ]);
  });
});
