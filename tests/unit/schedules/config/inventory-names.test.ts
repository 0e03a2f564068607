import { describe, expect, it } from 'vitest';
import { formatProblem, inventoryNameProblems, selectorNameProblems } from '#schedules/index.ts';
import { config as testConfig } from '#tests/support/schedules/fixtures.ts';

const inventory = [
  { id: 'L-1', zone: 'cite', street: 'Rue Trivalle' },
  { id: 'L-2', zone: 'cite', street: 'Rue Cros-Mayrevieille' },
  { id: 'L-3', zone: 'bastide', street: 'Rue de Verdun' },
];

describe('inventoryNameProblems', () => {
  it('names each rule and override zone or street no luminaire has, where it is in the config', () => {
    const config = testConfig({
      calendar: [
        { profile: 'residential' },
        { profile: 'festival', zones: ['cite', 'citee'], priority: 10 },
        { profile: 'festival', streets: ['Rue de Verdun', 'Rue de Verdum'], priority: 20 },
      ],
      overrides: [
        {
          id: 'works',
          target: { zones: ['bastide'], streets: ['Rue Trivalle'] },
          level: 100,
          from: '2026-06-21T20:00:00Z',
          until: '2026-06-22T04:00:00Z',
          reason: 'works',
        },
        {
          id: 'storm',
          target: { all: true },
          level: 100,
          from: '2026-06-21T20:00:00Z',
          until: '2026-06-22T04:00:00Z',
          reason: 'storm',
        },
      ],
    });
    expect(inventoryNameProblems(config, inventory, 'config.json').map(formatProblem)).toEqual([
      'config.json: calendar[1].zones[1]: unknown zone "citee": no luminaire is in it',
      'config.json: calendar[2].streets[1]: unknown street "Rue de Verdum": no luminaire is on it (streets: Rue Cros-Mayrevieille, Rue Trivalle, Rue de Verdun)',
      'config.json: overrides[0].target.streets[0]: unknown street "Rue Trivalle": no luminaire in zones bastide is on it (streets: Rue de Verdun)',
    ]);
  });

  it('names a luminaire id that is not in the inventory', () => {
    const config = testConfig({
      calendar: [
        { profile: 'residential' },
        { profile: 'festival', luminaires: ['L-1', 'L-9'], priority: 10 },
      ],
    });
    expect(inventoryNameProblems(config, inventory, 'config.json').map(formatProblem)).toEqual([
      'config.json: calendar[1].luminaires[1]: unknown luminaire "L-9"',
    ]);
  });

  it("names a zone of the site's zone facts that no luminaire is in, by its key", () => {
    const config = testConfig({
      site: {
        ...testConfig().site,
        zones: { cite: { inBuiltUpArea: true, commune: 'Carcassonne' }, citee: { inBuiltUpArea: false } },
      },
    });
    expect(inventoryNameProblems(config, inventory, 'config.json').map(formatProblem)).toEqual([
      'config.json: site.zones.citee: unknown zone "citee": no luminaire is in it',
    ]);
  });

  it('finds nothing wrong in names the inventory has', () => {
    const config = testConfig({
      calendar: [{ profile: 'residential', zones: ['cite'], streets: ['Rue Trivalle'] }],
    });
    expect(inventoryNameProblems(config, inventory, 'config.json')).toEqual([]);
  });
});

describe('selectorNameProblems', () => {
  it('locates the problems from the path it is given, and bounds the names it lists', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({
      zone: 'z',
      street: `s${String(i).padStart(2, '0')}`,
    }));
    const [problem] = selectorNameProblems({ streets: ['nowhere'] }, many, ['target'], 'request body');
    expect(problem?.path).toBe('target.streets[0]');
    expect(problem?.message).toBe(
      'unknown street "nowhere": no luminaire is on it (streets: s00, s01, s02, s03, s04, s05, s06, s07, s08, s09, …)',
    );
  });
});
