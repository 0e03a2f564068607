import { describe, expect, it } from 'vitest';
import { makePresenceContext } from '../../../../functions/presence/presence-context.ts';
import { testConfig, testLuminaires } from '../shared/fixtures.ts';

describe('presence context', () => {
  it('builds the spatial index once per configuration and inventory it is given', async () => {
    let config = testConfig();
    const inventory = testLuminaires(5);
    const context = makePresenceContext({ config: async () => config, inventory: async () => inventory });
    const first = await context();
    expect(await context()).toBe(first);

    config = testConfig({ planNights: 10 });
    const rebuilt = await context();
    expect(rebuilt).not.toBe(first);
    expect(rebuilt.config.planNights).toBe(10);
  });

  it('gives each luminaire its planned night, the same plan the plan push sends', async () => {
    const inventory = testLuminaires(3);
    const context = await makePresenceContext({
      config: async () => testConfig(),
      inventory: async () => inventory,
    })();
    const plan = context.planOf('L-0001', '2026-06-21');
    expect(plan?.profile).toBe('residential');
    expect(plan?.transitions.map((t) => t.level)).toEqual([100, 70, 0, 70, 0]);
    expect(context.planOf('unknown', '2026-06-21')).toBeUndefined();
  });
});
