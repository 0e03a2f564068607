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
} from '../../../schedules/index.ts';

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
