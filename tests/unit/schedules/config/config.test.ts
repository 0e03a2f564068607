import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  easterSunday,
  formatProblem,
  parseConfig,
  ruleAppliesToNight,
  rulesOverlap,
  WEEKDAYS,
} from '#schedules/index.ts';
import { carcassonne } from '#tests/support/schedules/fixtures.ts';

function problemsOf(raw: unknown): string[] {
  const result = parseConfig(raw, 'config.json');
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe('parseConfig', () => {
  it('accepts the example config and fills defaults', () => {
    const result = parseConfig(carcassonne, 'config.json');
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.planNights).toBe(8);
      expect(result.value.site.standbyWatts).toBe(0.5);
      expect(result.value.profiles.festival?.onLevel).toBe(100);
    }
  });

  it('names the file, the JSON path and the field of each schema problem, without throwing', () => {
    const problems = problemsOf({
      ...carcassonne,
      site: { ...carcassonne.site, timezone: 'Europe/Carcassonne', latitude: 95 },
      profiles: {
        residential: {
          on: '25:00',
          off: { event: 'sunrize' },
          steps: [{ at: '22:30', level: 120 }],
        },
      },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'config.json: site.timezone: unknown IANA time zone',
        expect.stringMatching(/^config\.json: site\.latitude: /),
        'config.json: profiles.residential.on: expected a local wall-clock time "HH:MM" (00:00 to 23:59)',
        expect.stringMatching(/^config\.json: profiles\.residential\.off\.event: Invalid option/),
        'config.json: profiles.residential.steps[0].level: level must be 0..100',
      ]),
    );
  });

  it('quotes a path key that is not an identifier', () => {
    const problems = problemsOf({
      ...carcassonne,
      profiles: { ...carcassonne.profiles, 'car park': { on: '18:00', off: '01:00', onLevel: -1 } },
    });
    expect(problems).toEqual(['config.json: profiles["car park"].onLevel: level must be 0..100']);
  });

  it('rejects a calendar rule naming an unknown profile', () => {
    const problems = problemsOf({ ...carcassonne, calendar: [{ profile: 'residental' }] });
    expect(problems).toEqual([
      'config.json: calendar[0].profile: unknown profile "residental" (profiles: residential, festival)',
    ]);
  });

  it('rejects two rules of equal priority that can select the same luminaire on the same night', () => {
    const problems = problemsOf({
      ...carcassonne,
      calendar: [{ profile: 'residential' }, { profile: 'festival', zones: ['cite'] }],
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^config\.json: calendar\[1\]\.priority: overlaps calendar\[0\] with the same priority 0/,
    );
  });

  it('accepts equal priorities whose zones, weekdays or dates are disjoint', () => {
    const rules = [
      { profile: 'residential', zones: ['bastide'] },
      { profile: 'festival', zones: ['cite'] },
      { profile: 'residential', zones: ['cite'], weekdays: ['sat', 'sun'] as const, priority: 5 },
      { profile: 'festival', zones: ['cite'], weekdays: ['mon'] as const, priority: 5 },
      // 2026-07-14 is a Tuesday: no Saturday or Sunday in common.
      { profile: 'festival', dates: ['2026-07-14'], priority: 5, zones: ['cite'] },
    ];
    expect(problemsOf({ ...carcassonne, calendar: rules })).toEqual([]);
  });

  it('sees overlaps through date ranges and single dates', () => {
    const july = { profile: 'festival', from: '2026-07-01', to: '2026-07-31' };
    expect(rulesOverlap({ ...july, priority: 0 }, { profile: 'x', dates: ['2026-07-14'], priority: 0 })).toBe(
      true,
    );
    expect(rulesOverlap({ ...july, priority: 0 }, { profile: 'x', dates: ['2026-08-14'], priority: 0 })).toBe(
      false,
    );
    expect(rulesOverlap({ ...july, priority: 0 }, { profile: 'x', from: '2026-08-01', priority: 0 })).toBe(
      false,
    );
    expect(rulesOverlap({ ...july, priority: 0 }, { profile: 'x', to: '2026-07-01', priority: 0 })).toBe(
      true,
    );
    expect(
      rulesOverlap(
        { profile: 'a', streets: ['Rue A'], priority: 0 },
        { profile: 'b', zones: ['cite'], priority: 0 },
      ),
    ).toBe(true);
    expect(
      rulesOverlap(
        { profile: 'a', from: '2026-07-13', to: '2026-07-13', priority: 0 },
        { profile: 'b', weekdays: ['tue'], priority: 0 },
      ),
    ).toBe(false);
  });

  it('rejects step time problems: off not after on, a repeated step time, a step outside fixed on..off', () => {
    const problems = problemsOf({
      ...carcassonne,
      profiles: {
        ...carcassonne.profiles,
        park: { on: '05:00', off: '01:00' },
        square: {
          on: '19:00',
          off: '01:00',
          steps: [
            { at: '22:00', level: 50 },
            { at: '22:00', level: 30 },
            { at: '03:00', level: 20 },
          ],
        },
        lane: { on: { event: 'sunset', offsetMinutes: 30 }, off: { event: 'sunset', offsetMinutes: 30 } },
      },
    });
    expect(problems).toEqual([
      'config.json: profiles.park.off: off (01:00) is not after on (05:00) within the night (12:00 to 12:00)',
      'config.json: profiles.square.steps[1].at: same time (22:00) as steps[0]',
      'config.json: profiles.square.steps[2].at: 03:00 is outside on (19:00) .. off (01:00), so this step never applies',
      'config.json: profiles.lane.off: off (sunset+30 min) is not after on (sunset+30 min) within the night (12:00 to 12:00)',
    ]);
  });

  it('rejects a date range ending before it starts and duplicate override ids', () => {
    const override = {
      id: 'o1',
      target: { all: true },
      level: 100,
      from: '2026-07-14T22:00:00+02:00',
      until: '2026-07-15T01:00:00+02:00',
      reason: 'fireworks',
    } as const;
    const problems = problemsOf({
      ...carcassonne,
      calendar: [
        ...carcassonne.calendar,
        { profile: 'festival', from: '2026-08-10', to: '2026-08-01', priority: 20 },
      ],
      overrides: [override, override],
    });
    expect(problems).toEqual([
      'config.json: calendar[2].to: to (2026-08-01) is before from (2026-08-10)',
      'config.json: overrides[1].id: duplicate id "o1" (also overrides[0])',
    ]);
  });

  it('refuses reserved names as profile names, rule ids and override ids, __proto__ included', () => {
    const override = {
      id: 'constructor',
      target: { all: true },
      level: 100,
      from: '2026-07-14T22:00:00+02:00',
      until: '2026-07-15T01:00:00+02:00',
      reason: 'fireworks',
    };
    const raw = JSON.parse(
      JSON.stringify({
        ...carcassonne,
        profiles: { ...carcassonne.profiles, prototype: { on: '18:00', off: '01:00' } },
        calendar: [...carcassonne.calendar, { id: 'toString', profile: 'festival', priority: 99 }],
        overrides: [override],
      }).replace('"prototype"', '"__proto__":{"on":"18:00","off":"01:00"},"prototype"'),
    );
    const reserved = (path: string) =>
      expect.stringMatching(new RegExp(`^config\\.json: ${path}: reserved name`));
    expect(problemsOf(raw)).toEqual([
      reserved('profiles\\.__proto__'),
      reserved('profiles\\.prototype'),
      reserved('calendar\\[2\\]\\.id'),
      reserved('overrides\\[0\\]\\.id'),
    ]);
  });

  it('bounds names, texts and lists, naming the field', () => {
    const many = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));
    const problems = problemsOf({
      ...carcassonne,
      profiles: {
        ...carcassonne.profiles,
        ['p'.repeat(65)]: { on: '18:00', off: '01:00' },
        festival: {
          on: '18:00',
          off: '01:00',
          description: 'x'.repeat(1001),
          steps: many(49, (i) => ({
            at: `${String(19 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`,
            level: 50,
          })),
        },
      },
      calendar: [
        { profile: 'residential', zones: many(201, (i) => `z${i}`), streets: ['s'.repeat(129)] },
        { profile: 'residential', priority: 1, luminaires: many(2001, (i) => `L${i}`) },
      ],
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^config\.json: profiles\.festival\.description: a description must be at most 1000/,
      ),
      expect.stringMatching(/^config\.json: profiles\.festival\.steps: at most 48 steps/),
      expect.stringMatching(/^config\.json: profiles\.p{65}: a name must be at most 64 characters/),
      expect.stringMatching(/^config\.json: calendar\[0\]\.zones: at most 200 zones/),
      expect.stringMatching(/^config\.json: calendar\[0\]\.streets\[0\]: must be at most 128 characters/),
      expect.stringMatching(/^config\.json: calendar\[1\]\.luminaires: at most 2000 luminaires/),
    ]);
  });

  it('names bad yearly dates and unknown holidays with their JSON path', () => {
    const problems = problemsOf({
      ...carcassonne,
      calendar: [
        ...carcassonne.calendar,
        {
          profile: 'festival',
          yearly: ['07-14', '13-01', '02-30', '7-14'],
          holidays: ['bastilleDay'],
          priority: 20,
        },
      ],
    });
    expect(problems).toEqual([
      'config.json: calendar[2].yearly[1]: not a day of the year (01-01 to 12-31; 02-29 selects leap years only)',
      'config.json: calendar[2].yearly[2]: not a day of the year (01-01 to 12-31; 02-29 selects leap years only)',
      'config.json: calendar[2].yearly[3]: expected a yearly date "MM-DD"',
      expect.stringMatching(
        /^config\.json: calendar\[2\]\.holidays\[0\]: Invalid option: expected one of "fr"\|/,
      ),
    ]);
    expect(
      problemsOf({
        ...carcassonne,
        calendar: [...carcassonne.calendar, { profile: 'festival', yearly: ['02-29'], priority: 20 }],
      }),
    ).toEqual([]);
  });

  it('sees overlaps through yearly dates and holidays, whatever the years', () => {
    const r = (fields: object) => ({ profile: 'x', priority: 0, ...fields });
    // 14 July is a Tuesday in 2026; 29 February 2024 was a Thursday; Easter Monday is always a Monday.
    expect(rulesOverlap(r({ yearly: ['07-14'] }), r({ weekdays: ['tue'] }))).toBe(true);
    expect(rulesOverlap(r({ yearly: ['02-29'] }), r({ weekdays: ['thu'], from: '2024-01-01' }))).toBe(true);
    expect(rulesOverlap(r({ holidays: ['easterMonday'] }), r({ weekdays: ['tue', 'sun'] }))).toBe(false);
    expect(rulesOverlap(r({ holidays: ['fr'] }), r({ yearly: ['07-14'] }))).toBe(true);
    expect(rulesOverlap(r({ holidays: ['fr'] }), r({ yearly: ['12-24'] }))).toBe(false);
    expect(rulesOverlap(r({ holidays: ['fr'] }), r({ dates: ['2090-05-08'] }))).toBe(true);
    expect(rulesOverlap(r({ holidays: ['fr-alsace-moselle'] }), r({ yearly: ['12-26'] }))).toBe(true);
    expect(rulesOverlap(r({ yearly: ['07-14'], to: '2026-07-13' }), r({ from: '2026-07-01' }))).toBe(false);
  });

  it('never misses an overlap of day lists: rules that share a night are seen to overlap', () => {
    const arbitraryRule = fc.record({
      profile: fc.constant('x'),
      priority: fc.constant(0),
      weekdays: fc.option(fc.subarray([...WEEKDAYS], { minLength: 1 }), { nil: undefined }),
      yearly: fc.option(fc.subarray(['02-29', '07-14', '12-31'], { minLength: 1 }), { nil: undefined }),
      holidays: fc.option(
        fc.subarray(['ascension', 'whitMonday', 'fr-alsace-moselle', 'christmas'] as const, { minLength: 1 }),
        { nil: undefined },
      ),
      from: fc.option(fc.constantFrom('2026-01-01', '2031-06-01'), { nil: undefined }),
    });
    // Nights the rules may list, so that random rules often share one.
    const arbitraryNight = fc
      .tuple(fc.integer({ min: 2026, max: 2085 }), fc.integer({ min: 0, max: 6 }))
      .map(([year, i]) =>
        i < 3
          ? `${year}-${['02-29', '07-14', '12-31'][i]}`
          : addDays(easterSunday(year), [39, 50, -2, 1][i - 3] ?? 0),
      )
      .filter((night) => addDays(night, 0) === night);
    let shared = 0;
    fc.assert(
      fc.property(arbitraryRule, arbitraryRule, arbitraryNight, (a, b, night) => {
        if (ruleAppliesToNight(a, night) && ruleAppliesToNight(b, night)) {
          shared++;
          expect(rulesOverlap(a, b)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
    expect(shared).toBeGreaterThan(20);
  });

  it('rejects a rule that selects no night', () => {
    const problems = problemsOf({
      ...carcassonne,
      calendar: [
        ...carcassonne.calendar,
        { profile: 'festival', yearly: ['07-14'], from: '2026-07-15', to: '2027-07-13', priority: 20 },
        { profile: 'festival', holidays: ['whitMonday'], weekdays: ['sun'], priority: 30 },
        { profile: 'festival', dates: ['2026-07-14'], weekdays: ['sat'], priority: 40 },
      ],
    });
    const message =
      'selects no night: none of its dates, yearly dates or holidays falls within from..to on one of its weekdays';
    expect(problems).toEqual([
      `config.json: calendar[2]: ${message}`,
      `config.json: calendar[3]: ${message}`,
      `config.json: calendar[4]: ${message}`,
    ]);
  });

  it('prints a problem as one line "source: path: message"', () => {
    expect(
      formatProblem({ source: 'a.json', path: 'calendar[1].profile', message: 'unknown\nprofile' }),
    ).toBe('a.json: calendar[1].profile: unknown profile');
  });
});
