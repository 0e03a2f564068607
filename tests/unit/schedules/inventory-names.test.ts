import { describe, expect, it } from 'vitest';
import { inventoryNameProblems } from '../../../schedules/config/inventory-names.ts';
import { twoRuleConfig } from '../functions/api/fixtures.ts';
import { testLuminaires } from '../functions/shared/fixtures.ts';

const luminaires = testLuminaires(4);
const override = {
  id: 'o',
  level: 0,
  from: '2026-06-21T22:00:00+02:00',
  until: '2026-06-21T23:00:00+02:00',
  reason: 'test',
};

describe('inventoryNameProblems', () => {
  it('finds nothing when every selected name is some luminaire’s', () => {
    const config = twoRuleConfig();
    config.calendar.push({
      id: 'x',
      profile: 'cite',
      priority: 20,
      streets: ['Rue Trivalle'],
      luminaires: ['L-0001'],
    });
    expect(inventoryNameProblems(config, luminaires, 'c.json')).toEqual([]);
  });

  it('names each unknown zone, street and luminaire id where it is written', () => {
    const config = {
      ...twoRuleConfig(),
      overrides: [{ ...override, target: { zones: ['cite', 'bastid'], luminaires: ['L-9'] } }],
    };
    config.calendar.push({ id: 'x', profile: 'cite', priority: 20, streets: ['Rue Trival'] });
    expect(inventoryNameProblems(config, luminaires, 'c.json')).toEqual([
      {
        source: 'c.json',
        path: 'calendar[2].streets[0]',
        message: 'no luminaire of the inventory has street "Rue Trival"',
      },
      {
        source: 'c.json',
        path: 'overrides[0].target.zones[1]',
        message: 'no luminaire of the inventory has zone "bastid"',
      },
      {
        source: 'c.json',
        path: 'overrides[0].target.luminaires[0]',
        message: 'no luminaire of the inventory has luminaire id "L-9"',
      },
    ]);
  });

  it('has nothing to check in an override targeting all luminaires', () => {
    const config = { ...twoRuleConfig(), overrides: [{ ...override, target: { all: true as const } }] };
    expect(inventoryNameProblems(config, luminaires, 'c.json')).toEqual([]);
  });
});
