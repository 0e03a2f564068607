import type { LocalDate, Site } from '../config/schema.ts';
import type { Luminaire } from '../inventory/schema.ts';
import { type CoveredSpan, classifyNight, type NightClass, type NightReadings } from './night-classes.ts';

/**
 * The savings report, IPMVP style: savings = modelled baseline - metered energy, over the
 * luminaire-nights whose readings cover the whole night (complete nights).
 *
 * - metered: what the controllers' energy counters recorded over complete nights;
 * - baseline: the luminaire's pre-LED system wattage × the full astronomical night (sunset to
 *   sunrise) of each complete night: what the old installation would have used, burning all night;
 * - LED reference: the LED wattage at 100 % over the same hours. Baseline - LED reference is the
 *   saving of the LED conversion; LED reference - metered is the saving of dimming and controls.
 *
 * Metered and baseline energy come from the same luminaire-nights, so a night reported in part
 * (a luminaire online late, a slow ingest) cannot pass for a saving: it is counted apart, as is a
 * night with no reading at all, and the report says how many of each there were.
 */
export const BASELINE_DEFINITION =
  'Baseline (IPMVP Option B style: each luminaire metered, baseline modelled): for every complete ' +
  'luminaire-night, the wattage of the pre-LED installation (lamp plus ballast) times the full ' +
  'astronomical night at the site, sunset to sunrise. The same hours at the LED rated wattage (100 %) ' +
  'separate the saving of the LED conversion from the saving of dimming and controls. Savings = baseline ' +
  '- metered energy; costs and CO2 use the site tariff and emission factor.';

export const COMPLETE_NIGHTS_DEFINITION =
  'Savings count complete luminaire-nights only: nights whose first reading came at most one report ' +
  'interval after the planned switch-on and whose last reading came at most one report interval before ' +
  'the planned switch-off. A partial night (readings that do not cover the night) and a silent night (no ' +
  'reading) count neither metered nor baseline energy; the energy metered on partial nights is shown ' +
  'apart. / Les économies ne portent que sur les nuits-luminaires complètes : première mesure au plus ' +
  "un intervalle de report après l'allumage prévu, dernière au plus un intervalle avant l'extinction " +
  "prévue. Une nuit partielle ou muette ne compte ni énergie mesurée ni référence ; l'énergie mesurée " +
  'des nuits partielles est indiquée à part.';

export const REPORT_GROUPINGS = ['site', 'zone', 'street', 'month'] as const;
export type ReportGrouping = (typeof REPORT_GROUPINGS)[number];

/** What one luminaire's night metered, and when its first and last accepted readings were taken. */
export interface LuminaireNightReadings extends NightReadings {
  readonly luminaireId: string;
  readonly night: LocalDate;
  readonly wh: number;
  readonly burnH: number;
}

export type ReportLuminaire = Pick<Luminaire, 'id' | 'zone' | 'street' | 'ledWatts' | 'baselineWatts'>;

export interface SavingsReportInput {
  readonly site: Pick<Site, 'name' | 'tariffEurPerKwh' | 'co2KgPerKwh' | 'currency'>;
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly groupBy: ReportGrouping;
  /** The inventory: every luminaire counts a night in every group it belongs to, reported or not. */
  readonly luminaires: readonly ReportLuminaire[];
  /** Full astronomical night (sunset to sunrise) in hours, for every night from `from` to `to`. */
  readonly nightHours: ReadonlyMap<LocalDate, number>;
  /** The span a luminaire-night's readings must cover (its planned switch-on to switch-off). */
  readonly windowOf: (luminaireId: string, night: LocalDate) => CoveredSpan;
  /** How far inside the window the first and last readings may be: one report interval. */
  readonly slackSeconds: number;
  /** The luminaire-nights that have readings; the others of the period are silent. */
  readonly readings: readonly LuminaireNightReadings[];
}

export interface SavingsFigures {
  readonly luminaires: number;
  readonly luminaireNights: number;
  readonly completeLuminaireNights: number;
  readonly partialLuminaireNights: number;
  readonly silentLuminaireNights: number;
  /** Complete luminaire-nights / luminaire-nights of the period (0..1). */
  readonly completeShare: number;
  /** Burning hours of the complete nights. */
  readonly burningHours: number;
  /** Metered over complete nights: the energy the savings are measured against. */
  readonly meteredKwh: number;
  /** Metered over partial nights: counted in no saving. */
  readonly partialMeteredKwh: number;
  readonly baselineKwh: number;
  readonly ledReferenceKwh: number;
  readonly savingsKwh: number;
  readonly ledConversionSavingsKwh: number;
  readonly controlsSavingsKwh: number;
  /** Savings / baseline (0 when there is no baseline). */
  readonly savingsShare: number;
  readonly meteredCost: number;
  readonly baselineCost: number;
  readonly savingsCost: number;
  readonly co2AvoidedKg: number;
}

export interface SavingsGroup extends SavingsFigures {
  /** The site name, a zone, `zone / street`, or a month YYYY-MM. */
  readonly key: string;
}

export interface SavingsReport {
  readonly site: SavingsReportInput['site'];
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly nights: number;
  readonly groupBy: ReportGrouping;
  readonly baselineDefinition: string;
  readonly completeNightsDefinition: string;
  /** Every group of the inventory (or every month of the period), silent ones included. */
  readonly groups: readonly SavingsGroup[];
  /** The same figures month by month, whatever the grouping (for the chart). */
  readonly months: readonly SavingsGroup[];
  readonly total: SavingsFigures;
}

interface Sums {
  luminaires: Set<string>;
  nights: Record<NightClass, number>;
  meteredWh: number;
  partialMeteredWh: number;
  baselineWh: number;
  ledReferenceWh: number;
  burningHours: number;
}

const emptySums = (): Sums => ({
  luminaires: new Set(),
  nights: { complete: 0, partial: 0, silent: 0 },
  meteredWh: 0,
  partialMeteredWh: 0,
  baselineWh: 0,
  ledReferenceWh: 0,
  burningHours: 0,
});

const monthOf = (night: string): string => night.slice(0, 7);

export function savingsReport(input: SavingsReportInput): SavingsReport {
  const readings = new Map(input.readings.map((r) => [`${r.luminaireId}\u0000${r.night}`, r]));
  const groupOf = (luminaire: ReportLuminaire, night: LocalDate): string => {
    switch (input.groupBy) {
      case 'site':
        return input.site.name;
      case 'zone':
        return luminaire.zone;
      case 'street':
        return `${luminaire.zone} / ${luminaire.street}`;
      case 'month':
        return monthOf(night);
    }
  };
  const groups = new Map<string, Sums>();
  const months = new Map<string, Sums>();
  const total = emptySums();

  for (const luminaire of input.luminaires) {
    for (const [night, hours] of input.nightHours) {
      const reading = readings.get(`${luminaire.id}\u0000${night}`);
      const kind = classifyNight(input.windowOf(luminaire.id, night), reading, input.slackSeconds);
      for (const sums of [upsert(groups, groupOf(luminaire, night)), upsert(months, monthOf(night)), total]) {
        sums.luminaires.add(luminaire.id);
        sums.nights[kind] += 1;
        if (kind === 'partial') sums.partialMeteredWh += reading?.wh ?? 0;
        if (kind !== 'complete') continue;
        sums.meteredWh += reading?.wh ?? 0;
        sums.burningHours += reading?.burnH ?? 0;
        sums.baselineWh += luminaire.baselineWatts * hours;
        sums.ledReferenceWh += luminaire.ledWatts * hours;
      }
    }
  }

  const byKey = (map: Map<string, Sums>) =>
    [...map]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, sums]) => ({ key, ...figures(sums, input.site) }));
  return {
    site: input.site,
    from: input.from,
    to: input.to,
    nights: input.nightHours.size,
    groupBy: input.groupBy,
    baselineDefinition: BASELINE_DEFINITION,
    completeNightsDefinition: COMPLETE_NIGHTS_DEFINITION,
    groups: byKey(groups),
    months: byKey(months),
    total: figures(total, input.site),
  };
}

function upsert(map: Map<string, Sums>, key: string): Sums {
  let sums = map.get(key);
  if (sums === undefined) {
    sums = emptySums();
    map.set(key, sums);
  }
  return sums;
}

function figures(sums: Sums, site: SavingsReportInput['site']): SavingsFigures {
  const meteredKwh = sums.meteredWh / 1000;
  const baselineKwh = sums.baselineWh / 1000;
  const ledReferenceKwh = sums.ledReferenceWh / 1000;
  const savingsKwh = baselineKwh - meteredKwh;
  const { complete, partial, silent } = sums.nights;
  const luminaireNights = complete + partial + silent;
  return {
    luminaires: sums.luminaires.size,
    luminaireNights,
    completeLuminaireNights: complete,
    partialLuminaireNights: partial,
    silentLuminaireNights: silent,
    completeShare: luminaireNights === 0 ? 0 : complete / luminaireNights,
    burningHours: sums.burningHours,
    meteredKwh,
    partialMeteredKwh: sums.partialMeteredWh / 1000,
    baselineKwh,
    ledReferenceKwh,
    savingsKwh,
    ledConversionSavingsKwh: baselineKwh - ledReferenceKwh,
    controlsSavingsKwh: ledReferenceKwh - meteredKwh,
    savingsShare: baselineKwh === 0 ? 0 : savingsKwh / baselineKwh,
    meteredCost: meteredKwh * site.tariffEurPerKwh,
    baselineCost: baselineKwh * site.tariffEurPerKwh,
    savingsCost: savingsKwh * site.tariffEurPerKwh,
    co2AvoidedKg: savingsKwh * site.co2KgPerKwh,
  };
}
