import { describe, expect, it } from 'vitest';
import { formatProblem, parseConfig } from '#schedules/index.ts';
import { carcassonne } from '#tests/support/schedules/fixtures.ts';

const withZones = (zones: unknown) => ({ ...carcassonne, site: { ...carcassonne.site, zones } });

function problemLines(raw: unknown): string[] {
  const result = parseConfig(raw, 'config.json');
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe("the site's zone facts", () => {
  it('read each zone as in a built-up area or not, with an optional commune and closing time', () => {
    const result = parseConfig(
      withZones({ cite: { inBuiltUpArea: true, commune: 'Carcassonne', closesAt: '23:00' } }),
      'config.json',
    );
    expect(result.ok && result.value.site.zones).toEqual({
      cite: { inBuiltUpArea: true, commune: 'Carcassonne', closesAt: '23:00' },
    });
  });

  it('are optional: a config without them is valid', () => {
    expect(problemLines(carcassonne)).toEqual([]);
  });

  it('refuse a missing built-up flag, an unknown field and a bad closing time, naming the zone', () => {
    expect(
      problemLines(
        withZones({
          cite: { commune: 'Carcassonne', closesAt: '25:00' },
          parc: { inBuiltUpArea: 1, lit: true },
        }),
      ),
    ).toEqual([
      'config.json: site.zones.cite.inBuiltUpArea: inBuiltUpArea must be true or false',
      'config.json: site.zones.cite.closesAt: expected a local wall-clock time "HH:MM" (00:00 to 23:59)',
      'config.json: site.zones.parc.inBuiltUpArea: inBuiltUpArea must be true or false',
      'config.json: site.zones.parc: Unrecognized key: "lit"',
    ]);
  });
});
