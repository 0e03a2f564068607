import { describe, expect, it } from 'vitest';
import { formatProblem, parseConfig } from '#schedules/index.ts';
import { carcassonne } from '#tests/support/schedules/fixtures.ts';

function problemsOf(raw: unknown): string[] {
  const result = parseConfig(raw, 'config.json');
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe('parseConfig on a config with schema problems', () => {
  it('also reports a rule naming an unknown profile', () => {
    const problems = problemsOf({
      ...carcassonne,
      profiles: { ...carcassonne.profiles, festival: { on: '25:00', off: { event: 'sunrise' } } },
      calendar: [...carcassonne.calendar, { profile: 'residental', zones: ['bastide'], priority: 5 }],
    });
    expect(problems).toEqual([
      'config.json: profiles.festival.on: expected a local wall-clock time "HH:MM" (00:00 to 23:59)',
      'config.json: calendar[2].profile: unknown profile "residental" (profiles: residential, festival)',
    ]);
  });

  it('does not call a profile unknown because its own fields are invalid', () => {
    const problems = problemsOf({
      ...carcassonne,
      profiles: { ...carcassonne.profiles, festival: { on: { event: 'sunset' }, off: 'late' } },
    });
    expect(problems).toEqual([
      'config.json: profiles.festival.off: expected a local wall-clock time "HH:MM" (00:00 to 23:59)',
    ]);
  });

  it('runs the cross checks on the rules and overrides that pass the schema, at their index in the input', () => {
    const override = {
      id: 'storm',
      target: { all: true },
      level: 100,
      from: '2026-11-25T18:00:00Z',
      until: '2026-11-26T06:00:00Z',
      reason: 'storm',
    };
    const problems = problemsOf({
      ...carcassonne,
      site: { ...carcassonne.site, latitude: 95 },
      calendar: [
        { profile: 'residential' },
        { profile: 'festival', weekdays: ['funday'] },
        { profile: 'festival', zones: ['cite'] },
        { profile: 'residential', from: '2026-02-01', to: '2026-01-01', priority: 3 },
      ],
      overrides: [override, { ...override, level: 101 }, override],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^config\.json: site\.latitude: /),
        expect.stringMatching(/^config\.json: calendar\[1\]\.weekdays\[0\]: /),
        'config.json: overrides[1].level: level must be 0..100',
        expect.stringMatching(
          /^config\.json: calendar\[2\]\.priority: overlaps calendar\[0\] with the same priority 0/,
        ),
        'config.json: calendar[3].to: to (2026-01-01) is before from (2026-02-01)',
        'config.json: overrides[2].id: duplicate id "storm" (also overrides[0])',
      ]),
    );
    expect(problems).toHaveLength(6);
  });

  it('runs the profile time checks on the profiles that pass the schema', () => {
    const problems = problemsOf({
      ...carcassonne,
      planNights: 0,
      profiles: { ...carcassonne.profiles, early: { on: '22:00', off: '20:00' } },
    });
    expect(problems).toEqual([
      expect.stringMatching(/^config\.json: planNights: /),
      'config.json: profiles.early.off: off (20:00) is not after on (22:00) within the night (12:00 to 12:00)',
    ]);
  });

  it('leaves out the cross checks of a list longer than the schema allows', () => {
    const rules = Array.from({ length: 2000 }, () => ({ profile: 'residential' }));
    const started = performance.now();
    expect(problemsOf({ ...carcassonne, calendar: rules })).toEqual([
      'config.json: calendar: at most 500 rules',
    ]);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('reports only the schema problem when the input is no config at all', () => {
    expect(problemsOf(['not', 'a', 'config'])).toHaveLength(1);
    expect(problemsOf({ calendar: 'weekly' }).every((line) => !line.includes('unknown profile'))).toBe(true);
  });
});
