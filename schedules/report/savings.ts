import type { LocalDate, Site } from '../config/schema.ts';
import type { Luminaire } from '../inventory/schema.ts';

/**
 * The savings report, computed from energy rollups (never from raw reports), IPMVP style:
 * savings = modelled baseline - metered energy, over the luminaire-nights that reported.
 *
 * - metered: what the controllers' energy counters recorded;
 * - baseline: the pre-LED system wattage × the full astronomical night (sunset to sunrise) of
 *   each reporting luminaire-night: what the old installation would have used, burning all night;
 * - LED reference: the LED wattage at 100 % over the same hours. Baseline - LED reference is the
 *   saving of the LED conversion; LED reference - metered is the saving of dimming and controls.
 *
 * Rollups carry counts, not the identity of the luminaires that reported, so a row's baseline uses
 * the mean wattage of the luminaires of its zone (or street): exact when every luminaire reports.
 */
export const BASELINE_DEFINITION =
  'Baseline (IPMVP Option C style, modelled): for every luminaire-night that reported, the wattage of the ' +
  'pre-LED installation (lamp plus ballast) times the full astronomical night at the site, sunset to ' +
  'sunrise. The same hours at the LED rated wattage (100 %) separate the saving of the LED conversion from ' +
  'the saving of dimming and controls. Savings = baseline - metered energy; costs and CO2 use the site ' +
  'tariff and emission factor.';

export const REPORT_GROUPINGS = ['site', 'zone', 'street', 'month'] as const;
export type ReportGrouping = (typeof REPORT_GROUPINGS)[number];

/**
 * One energy rollup: a zone's night (`period` = the night, YYYY-MM-DD) or a street's month
 * (`period` = YYYY-MM, `street` set). Several rows with the same keys (write shards) simply add up.
 */
export interface RollupRow {
  readonly period: string;
  readonly zone: string;
  readonly street?: string;
  readonly wh: number;
  readonly burnH: number;
  /** Luminaire-nights that reported in this row. */
  readonly luminaireDays: number;
}

export type ReportLuminaire = Pick<Luminaire, 'zone' | 'street' | 'ledWatts' | 'baselineWatts'>;

export interface SavingsReportInput {
  readonly site: Pick<Site, 'name' | 'tariffEurPerKwh' | 'co2KgPerKwh' | 'currency'>;
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly groupBy: ReportGrouping;
  readonly luminaires: readonly ReportLuminaire[];
  /** Full astronomical night (sunset to sunrise) in hours, for every night from `from` to `to`. */
  readonly nightHours: ReadonlyMap<LocalDate, number>;
  /** Zone/night rows for site, zone and month grouping; street/month rows for street grouping. */
  readonly rollups: readonly RollupRow[];
}

export interface SavingsFigures {
  readonly luminaires: number;
  readonly luminaireNights: number;
  readonly reportingLuminaireNights: number;
  /** Reporting luminaire-nights / luminaire-nights of the period (0..1). */
  readonly reportingShare: number;
  readonly burningHours: number;
  readonly meteredKwh: number;
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
  readonly groups: readonly SavingsGroup[];
  /** The same figures month by month, whatever the grouping (for the chart). */
  readonly months: readonly SavingsGroup[];
  readonly total: SavingsFigures;
}

interface Population {
  count: number;
  baselineWatts: number;
  ledWatts: number;
}

interface Sums {
  meteredWh: number;
  baselineWh: number;
  ledReferenceWh: number;
  burningHours: number;
  reporting: number;
}

const emptySums = (): Sums => ({
  meteredWh: 0,
  baselineWh: 0,
  ledReferenceWh: 0,
  burningHours: 0,
  reporting: 0,
});

function populations(luminaires: readonly ReportLuminaire[]) {
  const byKey = new Map<string, Population>();
  const add = (key: string, luminaire: ReportLuminaire) => {
    const population = byKey.get(key) ?? { count: 0, baselineWatts: 0, ledWatts: 0 };
    population.count += 1;
    population.baselineWatts += luminaire.baselineWatts;
    population.ledWatts += luminaire.ledWatts;
    byKey.set(key, population);
  };
  for (const luminaire of luminaires) {
    add('', luminaire);
    add(zoneKey(luminaire.zone), luminaire);
    add(streetKey(luminaire.zone, luminaire.street), luminaire);
  }
  return byKey;
}

const zoneKey = (zone: string): string => `zone\u0000${zone}`;
const streetKey = (zone: string, street: string): string => `street\u0000${zone}\u0000${street}`;
const monthOf = (period: string): string => period.slice(0, 7);

/** Mean night length of the rollup's period: the night itself, or the month's nights in the report. */
function hoursOfPeriod(nightHours: ReadonlyMap<LocalDate, number>) {
  const monthHours = new Map<string, { sum: number; count: number }>();
  for (const [night, hours] of nightHours) {
    const month = monthHours.get(monthOf(night)) ?? { sum: 0, count: 0 };
    month.sum += hours;
    month.count += 1;
    monthHours.set(monthOf(night), month);
  }
  return (period: string): number | undefined => {
    if (period.length === 10) return nightHours.get(period);
    const month = monthHours.get(period);
    return month === undefined ? undefined : month.sum / month.count;
  };
}

export function savingsReport(input: SavingsReportInput): SavingsReport {
  const population = populations(input.luminaires);
  const site = population.get('') ?? { count: 0, baselineWatts: 0, ledWatts: 0 };
  const hoursOf = hoursOfPeriod(input.nightHours);
  const nightsOfMonth = new Map<string, number>();
  for (const night of input.nightHours.keys()) {
    nightsOfMonth.set(monthOf(night), (nightsOfMonth.get(monthOf(night)) ?? 0) + 1);
  }

  /** The row's group: its label and the number of luminaires the group holds. */
  const groupOf = (row: RollupRow): [string, number] => {
    switch (input.groupBy) {
      case 'site':
        return [input.site.name, site.count];
      case 'zone':
        return [row.zone, population.get(zoneKey(row.zone))?.count ?? 0];
      case 'street': {
        const street = row.street ?? '(unknown street)';
        return [`${row.zone} / ${street}`, population.get(streetKey(row.zone, street))?.count ?? 0];
      }
      case 'month':
        return [monthOf(row.period), site.count];
    }
  };
  const groupLuminaires = new Map<string, number>();
  const groups = new Map<string, Sums>();
  const months = new Map<string, Sums>();
  const total = emptySums();

  for (const row of input.rollups) {
    const hours = hoursOf(row.period);
    if (hours === undefined) continue;
    const own =
      population.get(row.street === undefined ? zoneKey(row.zone) : streetKey(row.zone, row.street)) ??
      population.get(zoneKey(row.zone)) ??
      site;
    const meanBaselineW = own.count === 0 ? 0 : own.baselineWatts / own.count;
    const meanLedW = own.count === 0 ? 0 : own.ledWatts / own.count;
    const [group, luminaires] = groupOf(row);
    groupLuminaires.set(group, luminaires);
    for (const sums of [upsert(groups, group), upsert(months, monthOf(row.period)), total]) {
      sums.meteredWh += row.wh;
      sums.baselineWh += row.luminaireDays * meanBaselineW * hours;
      sums.ledReferenceWh += row.luminaireDays * meanLedW * hours;
      sums.burningHours += row.burnH;
      sums.reporting += row.luminaireDays;
    }
  }

  const nights = input.nightHours.size;
  const figuresOf = (sums: Sums, luminaires: number, nightsCovered: number) =>
    figures(sums, luminaires, luminaires * nightsCovered, input.site);

  return {
    site: input.site,
    from: input.from,
    to: input.to,
    nights,
    groupBy: input.groupBy,
    baselineDefinition: BASELINE_DEFINITION,
    groups: [...groups]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, sums]) => ({
        key,
        ...figuresOf(
          sums,
          groupLuminaires.get(key) ?? 0,
          input.groupBy === 'month' ? (nightsOfMonth.get(key) ?? 0) : nights,
        ),
      })),
    months: [...months]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, sums]) => ({ key, ...figuresOf(sums, site.count, nightsOfMonth.get(key) ?? 0) })),
    total: figuresOf(total, site.count, nights),
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

function figures(
  sums: Sums,
  luminaires: number,
  luminaireNights: number,
  site: SavingsReportInput['site'],
): SavingsFigures {
  const meteredKwh = sums.meteredWh / 1000;
  const baselineKwh = sums.baselineWh / 1000;
  const ledReferenceKwh = sums.ledReferenceWh / 1000;
  const savingsKwh = baselineKwh - meteredKwh;
  return {
    luminaires,
    luminaireNights,
    reportingLuminaireNights: sums.reporting,
    reportingShare: luminaireNights === 0 ? 0 : sums.reporting / luminaireNights,
    burningHours: sums.burningHours,
    meteredKwh,
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
