import { beforeEach, describe, expect, it, vi } from 'vitest';
import { makeHandler } from '#functions/presence/handler.ts';
import { makePresenceContext } from '#functions/presence/presence-context.ts';
import { makeSensorLookup } from '#functions/presence/sensor-lookup.ts';
import type { Cabinet } from '#schedules/index.ts';
import { planNight } from '#schedules/index.ts';
import { testConfig, testLuminaires } from '#tests/support/functions/shared/fixtures.ts';
import { memoryPresenceStateStore } from '../shared/memory-stores.ts';

/** The same list every call: the context is rebuilt only when a source returns a new one. */
const NO_CABINETS: readonly Cabinet[] = [];
const noCabinets = async () => NO_CABINETS;

// Counts the nights planned; planning itself is the real one.
const planned = vi.fn(planNight);
beforeEach(() => {
  planned.mockClear();
});

describe('presence context', () => {
  it('builds the spatial index once per configuration and inventory it is given', async () => {
    let config = testConfig();
    const inventory = testLuminaires(5);
    const context = makePresenceContext({
      config: async () => config,
      inventory: async () => inventory,
      cabinets: noCabinets,
    });
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
      cabinets: noCabinets,
    })();
    const plan = context.planOf('L-0001', '2026-06-21');
    expect(plan?.profile).toBe('residential');
    expect(plan?.transitions.map((t) => t.level)).toEqual([100, 70, 0, 70, 0]);
    expect(context.planOf('unknown', '2026-06-21')).toBeUndefined();
  });
});

describe('presence context: planning per detection', () => {
  // 2026-06-21 23:30 Paris, lit at 70 %.
  const T = Date.parse('2026-06-21T21:30:00Z') / 1000;
  const inventory = testLuminaires(40);
  const config = testConfig();

  function handlerAt(clock: { now: number }) {
    return makeHandler({
      sensorOf: makeSensorLookup(async () => [
        { id: 'S-1', lat: 43.2068, lon: 2.3644, street: 'Rue Trivalle', zone: 'bastide' },
      ]),
      now: () => clock.now,
      context: makePresenceContext({
        config: async () => config,
        inventory: async () => inventory,
        cabinets: noCabinets,
        planNight: planned,
      }),
      presence: memoryPresenceStateStore(),
      shadows: { get: vi.fn(), update: async () => ({ ok: true, value: { version: 1 } }) },
    });
  }

  it('plans a night once, however many detections of that night arrive', async () => {
    const clock = { now: T };
    const handler = handlerAt(clock);
    for (let i = 0; i < 200; i++) {
      clock.now = T + i * 7;
      await handler({ sensor: 'S-1', id: `d-${i}`, ts: clock.now });
    }
    expect(planned).toHaveBeenCalledTimes(1);
  });

  it('plans no other night for detections dated days away or delivered after their hold', async () => {
    const clock = { now: T };
    const handler = handlerAt(clock);
    await handler({ sensor: 'S-1', id: 'now', ts: T });
    const farOff = [T + 86_400, T + 10 * 86_400, T - 86_400, T - 30 * 86_400, 0];
    const results = await Promise.all(farOff.map((ts, i) => handler({ sensor: 'S-1', id: `far-${i}`, ts })));
    expect(results.map((r) => r.status)).toEqual(Array(farOff.length).fill('dropped'));
    clock.now = T + 2 * 86_400;
    const retried = await handler({ sensor: 'S-1', id: 'retried', ts: T, receivedAt: T * 1000 });
    expect(retried).toMatchObject({ status: 'dropped', reason: 'late' });
    expect(planned).toHaveBeenCalledTimes(1);
  });
});
