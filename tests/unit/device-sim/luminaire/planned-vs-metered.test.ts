import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ControllerState } from '#device-sim/luminaire/controller-state.ts';
import { DEFAULT_FALLBACK_LEVEL, encodeShadowPlan } from '#protocol/plan-codec.ts';
import { addDays, NO_CIRCUITS, nightWindow, planNights, ZoneClock } from '#schedules/index.ts';
import { luminaire, withResidentialFade } from '#tests/support/schedules/fixtures.ts';

describe('planned energy and the reference controller', () => {
  it('meters on a night exactly the energy planned for it, fades included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 300 }),
        (fadeSeconds, minLevel, day) => {
          const site = withResidentialFade(fadeSeconds);
          const l = luminaire({ minLevel, ledWatts: 40 });
          const first = addDays('2026-01-01', day);
          const [schedule] = planNights(site, [l], first, 3, NO_CIRCUITS);
          if (schedule === undefined) throw new Error('no schedule');
          const plan = encodeShadowPlan(
            schedule.steps,
            schedule.until,
            DEFAULT_FALLBACK_LEVEL,
            schedule.fades,
          );
          // The second night: the plan is in force over all of it (the first starts before the plan).
          const second = schedule.nights[1];
          const window = nightWindow(ZoneClock.of(site.site.timezone), addDays(first, 1));
          const controller = new ControllerState(
            {
              thingName: l.thingName,
              lat: l.lat,
              lon: l.lon,
              ledWatts: l.ledWatts,
              minLevel: l.minLevel,
              standbyW: site.site.standbyWatts,
              fw: 'sim',
              fallbackLevel: 100,
              telemetryEverySeconds: 900,
              reportSpreadSeconds: 0,
            },
            { counterId: 'c', energyWh: 0, burningHours: 0, seq: 0 },
            { failed: false },
            window.start,
          );
          controller.shadowMessage(window.start, 'plan', 'get/accepted', {
            state: { desired: { plan } },
            version: 1,
          });
          controller.tick(window.end);
          expect(controller.meter.energyWh).toBeCloseTo(second?.energyWh as number, 6);
        },
      ),
      { numRuns: 30 },
    );
  });
});
