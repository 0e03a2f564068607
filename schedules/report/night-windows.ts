import { boundsOf } from '../astro/sun-field.ts';
import { sunTimesForNight } from '../astro/sun-times.ts';
import type { Config, LocalDate } from '../config/schema.ts';
import { litTime } from '../energy/model.ts';
import type { Luminaire } from '../inventory/schema.ts';
import { getOrInsertComputed } from '../place-cache.ts';
import { type Circuits, NightPlanner } from '../plan/plan-night.ts';
import type { LuminairePlan } from '../plan/types.ts';
import type { NightPrices, Shares, TariffBook } from '../tariff/prices.ts';
import { addDays } from '../time/local-date.ts';
import type { CoveredSpan } from './night-classes.ts';

/**
 * What the plan says of a luminaire-night, as the report needs it.
 * - the window its readings must cover: its planned switch-on to switch-off, as the plan push
 *   planned it from the same configuration and cabinets; a luminaire planned dark all night is still metered
 *   (its controller draws standby power): its window is the site's sunset to sunrise;
 * - its planned lit hours (the availability KPI compares the metered burning hours with them);
 * - its planned energy (IPMVP Option A: what a luminaire without a meter is stipulated to use);
 * - how its energy spreads over the tariff's periods: the ledger keeps a night's total only, so the
 *   metered kWh are priced along the planned level profile (energy ∝ level × time), under the
 *   tariff of its cabinet's contract option (the site's own for a luminaire no cabinet names);
 * - how its baseline's energy spreads over the same option's periods: the pre-LED lamp burned at
 *   constant power from sunset to sunrise on the same delivery point.
 */
export interface PlannedNight extends CoveredSpan {
  readonly litHours: number;
  readonly plannedWh: number;
  readonly shares: Shares;
  readonly baselineShares: Shares;
}

export interface PlannedPeriod {
  readonly nights: ReadonlyMap<LocalDate, ReadonlyMap<string, PlannedNight>>;
}

export function plannedNights(
  config: Config,
  luminaires: readonly Luminaire[],
  from: LocalDate,
  to: LocalDate,
  prices: TariffBook,
  circuits: Circuits,
): PlannedPeriod {
  const bounds = boundsOf(luminaires);
  const nights = new Map<LocalDate, Map<string, PlannedNight>>();
  // Each luminaire's energy is priced on its cabinet's contract option, the site's own without one.
  const optionOf = new Map(circuits.cabinets.map((cabinet) => [cabinet.id, cabinet.tariffOption]));
  for (let night = from; night <= to; night = addDays(night, 1)) {
    const planner = new NightPlanner(config, night, bounds);
    const sun = sunTimesForNight(config.site.latitude, config.site.longitude, planner.window);
    // Polar day or night: the sun events fall outside the night; the window bounds them.
    const dark: CoveredSpan = {
      start: Math.max(planner.window.start, Math.min(sun.sunset, planner.window.end)),
      end: Math.min(planner.window.end, Math.max(sun.sunrise, planner.window.start)),
    };
    const ofNight = new Map<string, PlannedNight>();
    const darkShares = new Map<NightPrices, Shares>();
    const plans = planner.planAll(luminaires, circuits);
    for (const [i, luminaire] of luminaires.entries()) {
      const plan = plans[i] as LuminairePlan;
      const { on, off, transitions } = plan;
      const option = luminaire.cabinet === undefined ? undefined : optionOf.get(luminaire.cabinet);
      const nightPrices = prices.night(night, planner.window, option);
      // Sunset to sunrise at constant power: the baseline's shares, and a dark luminaire's standby.
      const baselineShares = getOrInsertComputed(darkShares, nightPrices, () =>
        nightPrices.spanShares(dark.start, dark.end),
      );
      ofNight.set(
        luminaire.id,
        on === null || off === null
          ? { ...dark, litHours: 0, plannedWh: plan.energyWh, shares: baselineShares, baselineShares }
          : {
              start: on,
              end: off,
              litHours: litTime(transitions).litSeconds / 3600,
              plannedWh: plan.energyWh,
              shares: nightPrices.profileShares(transitions),
              baselineShares,
            },
      );
    }
    nights.set(night, ofNight);
  }
  return { nights };
}
