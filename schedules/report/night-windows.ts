import { boundsOf } from '../astro/sun-field.ts';
import { sunTimesForNight } from '../astro/sun-times.ts';
import type { Config, LocalDate } from '../config/schema.ts';
import type { Luminaire } from '../inventory/schema.ts';
import { NightPlanner } from '../plan/plan-night.ts';
import { addDays } from '../time/local-date.ts';
import type { CoveredSpan } from './night-classes.ts';

/**
 * The window each luminaire-night's readings must cover: its planned switch-on to switch-off, as
 * the plan push planned it from the same configuration. A luminaire planned dark all night is
 * still metered (its controller draws standby power): its window is the site's sunset to sunrise,
 * the hours the baseline counts.
 */
export function plannedWindows(
  config: Config,
  luminaires: readonly Luminaire[],
  from: LocalDate,
  to: LocalDate,
): Map<LocalDate, Map<string, CoveredSpan>> {
  const bounds = boundsOf(luminaires);
  const windows = new Map<LocalDate, Map<string, CoveredSpan>>();
  for (let night = from; night <= to; night = addDays(night, 1)) {
    const planner = new NightPlanner(config, night, bounds);
    const sun = sunTimesForNight(config.site.latitude, config.site.longitude, planner.window);
    // Polar day or night: the sun events fall outside the night; the window bounds them.
    const dark: CoveredSpan = {
      start: Math.max(planner.window.start, Math.min(sun.sunset, planner.window.end)),
      end: Math.min(planner.window.end, Math.max(sun.sunrise, planner.window.start)),
    };
    const ofNight = new Map<string, CoveredSpan>();
    for (const luminaire of luminaires) {
      const { on, off } = planner.plan(luminaire);
      ofNight.set(luminaire.id, on === null || off === null ? dark : { start: on, end: off });
    }
    windows.set(night, ofNight);
  }
  return windows;
}
