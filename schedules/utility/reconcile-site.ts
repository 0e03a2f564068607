import type { Config, LocalDate } from '../config/schema.ts';
import type { Cabinet, Luminaire } from '../inventory/schema.ts';
import { circuitsOf, planNight } from '../plan/plan-night.ts';
import { tariffOn } from '../tariff/periods.ts';
import { addDays } from '../time/local-date.ts';
import { nightOf } from '../time/night.ts';
import type { UtilityReadings } from './readings.ts';
import { DEFAULT_THRESHOLDS, type Reconciliation, reconcile } from './reconcile.ts';

/** A year and a day: longer periods would plan thousands of nights for one request or command. */
export const MAX_RECONCILE_NIGHTS = 367;

export interface SiteReconcileInput {
  readonly config: Config;
  readonly luminaires: readonly Luminaire[];
  readonly cabinets: readonly Cabinet[];
  readonly readings: UtilityReadings;
  /** Epoch seconds [from, to), local midnights of the site; 1..MAX_RECONCILE_NIGHTS nights. */
  readonly period: { readonly from: number; readonly to: number };
  /** The energy the luminaires' meters counted per cabinet (kWh), when known. */
  readonly meteredKwh?: ReadonlyMap<string, number>;
  /** The energy the cabinets' own meters counted (kWh), for those that have one. */
  readonly cabinetMeteredKwh?: ReadonlyMap<string, number>;
  /** The fixed part per kVA and month for every point; else each point's tariff option prices it. */
  readonly eurosPerKvaMonth?: number;
}

/**
 * The reconciliation of a site over a period, as `lighting reconcile` and `GET /reconciliation`
 * both give it: the plans of every night of the period summed per cabinet, over-subscription priced
 * by the subscription part of each point's tariff option valid on the period's last night.
 */
export function reconcileSite(input: SiteReconcileInput): Reconciliation {
  const { config, luminaires, cabinets, period } = input;
  const first = nightOf(config.site.timezone, period.from);
  const nights = Math.round((period.to - period.from) / 86_400);
  const plannedWh = new Map<string, number>();
  const cabinetOf = new Map(luminaires.map((l) => [l.id, l.cabinet]));
  const circuits = circuitsOf(cabinets, luminaires);
  for (let n = 0; n < nights; n++) {
    for (const plan of planNight(config, luminaires, addDays(first, n), circuits).luminaires) {
      const cabinet = cabinetOf.get(plan.id);
      if (cabinet !== undefined) plannedWh.set(cabinet, (plannedWh.get(cabinet) ?? 0) + plan.energyWh);
    }
  }
  return reconcile({
    cabinets,
    readings: input.readings,
    period,
    plannedKwh: new Map([...plannedWh].map(([id, wh]) => [id, wh / 1000])),
    ...(input.meteredKwh === undefined ? {} : { meteredKwh: input.meteredKwh }),
    ...(input.cabinetMeteredKwh === undefined ? {} : { cabinetMeteredKwh: input.cabinetMeteredKwh }),
    thresholds: { eurosPerKvaMonth: input.eurosPerKvaMonth ?? DEFAULT_THRESHOLDS.eurosPerKvaMonth },
    ...(input.eurosPerKvaMonth === undefined
      ? { eurosPerKvaMonth: subscriptionPrices(config, cabinets, addDays(first, nights - 1)) }
      : {}),
  });
}

/** Per delivery point, the subscription part of its cabinets' tariff option on a night, when one prices it. */
function subscriptionPrices(
  config: Config,
  cabinets: readonly Cabinet[],
  night: LocalDate,
): Map<string, number> {
  const prices = new Map<string, number>();
  for (const cabinet of cabinets) {
    const options = config.site.tariffs.filter((tariff) => tariff.option === cabinet.tariffOption);
    const tariff = tariffOn(options, night);
    if (tariff !== undefined) prices.set(cabinet.deliveryPointId, tariff.subscriptionEurPerKvaMonth);
  }
  return prices;
}
