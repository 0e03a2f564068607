import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  type CalendarRule,
  NightRuleSelector,
  ruleAppliesToNight,
  ruleName,
  ruleSelectsLuminaire,
  WEEKDAYS,
} from '#schedules/index.ts';

const rule = (fields: Partial<CalendarRule>): CalendarRule => ({ profile: 'p', priority: 0, ...fields });
const place = { id: 'L-1', zone: 'cite', street: 'Rue Cros-Mayrevieille' };

describe('calendar rule selection', () => {
  it('selects by zone, street and luminaire id, every given selector having to match', () => {
    expect(ruleSelectsLuminaire(rule({ zones: ['cite'] }), place)).toBe(true);
    expect(ruleSelectsLuminaire(rule({ zones: ['bastide'] }), place)).toBe(false);
    expect(ruleSelectsLuminaire(rule({ zones: ['cite'], streets: ['Rue Trivalle'] }), place)).toBe(false);
    expect(
      ruleSelectsLuminaire(rule({ streets: ['Rue Cros-Mayrevieille'], luminaires: ['L-1'] }), place),
    ).toBe(true);
    expect(ruleSelectsLuminaire(rule({ luminaires: ['L-2'] }), place)).toBe(false);
  });

  it('takes nights by single dates, inclusive date ranges and the weekday the night starts on', () => {
    expect(ruleAppliesToNight(rule({ dates: ['2026-07-14'] }), '2026-07-14')).toBe(true);
    expect(ruleAppliesToNight(rule({ dates: ['2026-07-14'] }), '2026-07-13')).toBe(false);
    const summer = rule({ from: '2026-06-01', to: '2026-08-31' });
    expect(['2026-06-01', '2026-08-31'].map((d) => ruleAppliesToNight(summer, d))).toEqual([true, true]);
    expect(['2026-05-31', '2026-09-01'].map((d) => ruleAppliesToNight(summer, d))).toEqual([false, false]);
    // Friday night (2026-07-17 is a Friday) runs into Saturday morning: it is a Friday night.
    expect(ruleAppliesToNight(rule({ weekdays: ['fri'] }), '2026-07-17')).toBe(true);
    expect(ruleAppliesToNight(rule({ weekdays: ['sat'] }), '2026-07-17')).toBe(false);
  });

  it('takes a yearly date every year, and 29 February in leap years only', () => {
    const newYearsEve = rule({ yearly: ['12-31'] });
    expect(['2026-12-31', '2031-12-31', '2099-12-31'].map((d) => ruleAppliesToNight(newYearsEve, d))).toEqual(
      [true, true, true],
    );
    expect(ruleAppliesToNight(newYearsEve, '2027-01-01')).toBe(false);
    const leapDay = rule({ yearly: ['02-29'] });
    expect(['2028-02-29', '2000-02-29'].map((d) => ruleAppliesToNight(leapDay, d))).toEqual([true, true]);
    expect(['2027-02-28', '2027-03-01', '2100-03-01'].map((d) => ruleAppliesToNight(leapDay, d))).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('takes a night listed by any of dates, yearly and holidays, within from/to and on its weekdays', () => {
    const festive = rule({ dates: ['2026-06-21'], yearly: ['12-31'], holidays: ['nationalDay'] });
    expect(['2026-06-21', '2026-07-14', '2026-12-31'].map((d) => ruleAppliesToNight(festive, d))).toEqual([
      true,
      true,
      true,
    ]);
    expect(ruleAppliesToNight(festive, '2027-06-21')).toBe(false);
    // 14 July falls on a Tuesday in 2026, a Friday in 2028.
    const bounded = rule({ holidays: ['nationalDay'], weekdays: ['fri', 'sat'], from: '2026-01-01' });
    expect(['2026-07-14', '2028-07-14'].map((d) => ruleAppliesToNight(bounded, d))).toEqual([false, true]);
    expect(ruleAppliesToNight({ ...bounded, to: '2027-12-31' }, '2028-07-14')).toBe(false);
  });

  it('takes a yearly date exactly on the nights starting on that month and day, any year', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 200 }), fc.integer({ min: 0, max: 365 * 200 }), (a, b) => {
        const listed = addDays('1950-01-01', a);
        const night = addDays('1950-01-01', b);
        expect(ruleAppliesToNight(rule({ yearly: [listed.slice(5)] }), night)).toBe(
          listed.slice(5) === night.slice(5),
        );
      }),
    );
  });

  it('lets a holiday rule of higher priority beat the weekday rule of its night', () => {
    const calendar = [
      rule({ profile: 'default' }),
      rule({ profile: 'weekend', weekdays: ['fri', 'sat'], priority: 5 }),
      rule({ profile: 'holiday', holidays: ['fr'], priority: 8 }),
      rule({ profile: 'fireworks', zones: ['cite'], yearly: ['07-14'], priority: 9 }),
    ];
    const on = (night: string, zone = 'cite') =>
      new NightRuleSelector(calendar, night).select({ ...place, zone })?.rule.profile;
    // 2026-05-01 (Labour Day) and 2026-05-08 (Victory Day) are Fridays.
    expect([on('2026-05-01'), on('2026-05-08'), on('2026-05-15'), on('2026-05-14')]).toEqual([
      'holiday',
      'holiday',
      'weekend',
      'holiday',
    ]);
    expect([on('2026-07-14'), on('2026-07-14', 'bastide'), on('2026-07-13')]).toEqual([
      'fireworks',
      'holiday',
      'default',
    ]);
  });

  it('picks the highest priority, then the rule listed first; null when no rule selects', () => {
    const calendar = [
      rule({ profile: 'default' }),
      rule({ profile: 'cite', zones: ['cite'], priority: 5 }),
      rule({ profile: 'festival', zones: ['cite'], dates: ['2026-07-14'], priority: 10 }),
      rule({ profile: 'second', zones: ['cite'], dates: ['2026-07-14'], priority: 10 }),
    ];
    const on = (night: string) => new NightRuleSelector(calendar, night).select(place);
    expect(on('2026-07-14')?.rule.profile).toBe('festival');
    expect(on('2026-07-13')?.rule.profile).toBe('cite');
    expect(
      new NightRuleSelector(calendar, '2026-07-13').select({ ...place, zone: 'bastide' })?.rule.profile,
    ).toBe('default');
    expect(new NightRuleSelector([rule({ zones: ['x'] })], '2026-07-13').select(place)).toBeNull();
  });

  it('names a rule by its id or its place in the calendar', () => {
    expect(ruleName({ index: 2, rule: rule({}) })).toBe('calendar[2]');
    expect(ruleName({ index: 2, rule: rule({ id: 'summer' }) })).toBe('summer');
  });

  it('always selects a rule of the highest priority among those matching, cached or not', () => {
    const arbitraryRule = fc.record({
      profile: fc.constantFrom('a', 'b', 'c'),
      priority: fc.integer({ min: 0, max: 3 }),
      zones: fc.option(fc.subarray(['z1', 'z2', 'z3'], { minLength: 1 }), { nil: undefined }),
      streets: fc.option(fc.subarray(['s1', 's2'], { minLength: 1 }), { nil: undefined }),
      luminaires: fc.option(fc.subarray(['L1', 'L2', 'L3'], { minLength: 1 }), { nil: undefined }),
      weekdays: fc.option(fc.subarray([...WEEKDAYS], { minLength: 1 }), { nil: undefined }),
      yearly: fc.option(fc.subarray(['07-03', '07-10', '07-13'], { minLength: 1 }), { nil: undefined }),
      holidays: fc.option(fc.subarray(['fr', 'nationalDay', 'christmas'] as const, { minLength: 1 }), {
        nil: undefined,
      }),
    });
    const arbitraryPlace = fc.record({
      id: fc.constantFrom('L1', 'L2', 'L3', 'L4'),
      zone: fc.constantFrom('z1', 'z2', 'z3'),
      street: fc.constantFrom('s1', 's2', 's3'),
    });
    fc.assert(
      fc.property(
        fc.array(arbitraryRule, { minLength: 1, maxLength: 8 }),
        fc.array(arbitraryPlace, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 13 }),
        (calendar, places, day) => {
          const night = addDays('2026-07-01', day);
          const selector = new NightRuleSelector(calendar, night);
          for (const p of places) {
            const matching = calendar
              .map((r, index) => ({ r, index }))
              .filter(({ r }) => ruleAppliesToNight(r, night) && ruleSelectsLuminaire(r, p));
            const chosen = selector.select(p);
            if (matching.length === 0) expect(chosen).toBeNull();
            else {
              const best = Math.max(...matching.map(({ r }) => r.priority));
              const first = matching.find(({ r }) => r.priority === best);
              expect(chosen?.index).toBe(first?.index);
            }
          }
        },
      ),
    );
  });
});
