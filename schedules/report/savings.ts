import type { LocalDate, Site } from '../config/schema.ts';
import { type BillContract, type BillEstimate, billEstimate } from '../tariff/bill.ts';
import type { PriceLine } from '../tariff/prices.ts';
import {
  addSums,
  type ClosedNight,
  closeNight,
  emptySums,
  lineKey,
  type MeteredNight,
  type NightSums,
  type ReportLuminaire,
  type StreetSums,
} from './closed-night.ts';
import { type AlarmSpan, type Kpis, kpis } from './kpis.ts';
import { type MonthSums, monthOf, monthsOfNights } from './month-sums.ts';
import type { CoveredSpan } from './night-classes.ts';
import type { PlannedNight } from './night-windows.ts';

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
  'Baseline (modelled, adjusted to the actual nights): for every luminaire-night counted, the wattage ' +
  'of the pre-LED installation (lamp plus ballast) times the full astronomical night of that night at ' +
  'the site, sunset to sunrise. The same hours at the LED rated wattage (100 %) separate the saving of ' +
  'the LED conversion from the saving of dimming and controls. Savings = baseline - reporting-period ' +
  'energy. IPMVP Option B where the luminaire is metered (its controller counts energy; complete ' +
  'nights only); Option A where it has no controller of its own: its LED wattage (measured once) times ' +
  "its cabinet's planned burning hours and levels (stipulated). Costs price each kWh at the tariff " +
  'period it falls in (the metered kWh of a night spread along its planned level profile, the ' +
  'baseline at constant power from sunset to sunrise), energy prices excluding the fixed part and ' +
  'taxes; CO2 uses the site emission factor.';

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
export interface LuminaireNightReadings extends MeteredNight {
  readonly luminaireId: string;
  readonly night: LocalDate;
}

export type { ReportLuminaire };

/** The IPMVP option a group's figures rest on: B metered, A stipulated, or both. */
export type IpmvpOption = 'A' | 'B' | 'A+B' | 'none';

/** The prices the report uses: the lines met (a luminaire-night's plan gives its shares of them). */
export interface ReportPricing {
  readonly lines: readonly PriceLine[];
}

/** A tariff that priced some nights of the report, for the delivery points of one contract option. */
export interface TariffUse {
  /** The cabinets' contract option it priced; null: the site's own tariff (luminaires without a cabinet). */
  readonly option: string | null;
  readonly id: string;
  readonly label: string;
  readonly source: string | null;
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly nights: number;
}

export interface SavingsReportInput {
  readonly site: Pick<Site, 'name' | 'co2KgPerKwh' | 'currency' | 'contract'>;
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly groupBy: ReportGrouping;
  /** The inventory: every luminaire counts a night in every group it belongs to, reported or not. */
  readonly luminaires: readonly ReportLuminaire[];
  /** Full astronomical night (sunset to sunrise) in hours, for every night from `from` to `to`. */
  readonly nightHours: ReadonlyMap<LocalDate, number>;
  /** The plan of a luminaire-night: the span its readings must cover, its lit hours, energy and shares. */
  readonly plannedOf: (luminaireId: string, night: LocalDate) => PlannedNight;
  readonly pricing: ReportPricing;
  /** The delivery points by contract option (and the site's own), for the tariffs and the fixed part. */
  readonly contracts: readonly BillContract[];
  /** The first night's start to the last night's end, for the alarm KPIs. */
  readonly period: CoveredSpan;
  /** Alarms of the inventory's luminaires (the KPIs count failures and repairs of the period). */
  readonly alarms: readonly AlarmSpan[];
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
  /** Luminaire-nights of luminaires without a meter, counted by IPMVP Option A. */
  readonly stipulatedLuminaireNights: number;
  /** Complete luminaire-nights / luminaire-nights of the period (0..1): what Option B figures rest on. */
  readonly completeShare: number;
  /** Stipulated luminaire-nights / luminaire-nights of the period (0..1): what Option A figures rest on. */
  readonly stipulatedShare: number;
  /** Burning hours of the complete nights. */
  readonly burningHours: number;
  /** Metered over complete nights: the energy the savings are measured against. */
  readonly meteredKwh: number;
  /** Metered over partial nights: counted in no saving. */
  readonly partialMeteredKwh: number;
  /** Option A: LED wattage × planned hours and levels of the stipulated luminaire-nights. */
  readonly stipulatedKwh: number;
  /** Planned lit hours of the complete nights, and the share of them the luminaires were lit. */
  readonly plannedLitHours: number;
  readonly availability: number;
  readonly baselineKwh: number;
  readonly ledReferenceKwh: number;
  readonly savingsKwh: number;
  readonly ledConversionSavingsKwh: number;
  readonly controlsSavingsKwh: number;
  /** Savings / baseline (0 when there is no baseline). */
  readonly savingsShare: number;
  /** The reporting period's energy (metered complete nights and stipulated) at the tariff's energy prices. */
  readonly meteredCost: number;
  readonly baselineCost: number;
  readonly savingsCost: number;
  readonly co2AvoidedKg: number;
}

export interface SavingsGroup extends SavingsFigures {
  /** The site name, a zone, `zone / street`, or a month YYYY-MM. */
  readonly key: string;
  readonly ipmvpOption: IpmvpOption;
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
  readonly ipmvpOption: IpmvpOption;
  /** The tariffs that priced the period's nights, per contract option (the site's own first), in date order. */
  readonly tariffs: readonly TariffUse[];
  readonly bill: BillEstimate;
  readonly kpis: Kpis;
}

/** A group's sums and how many luminaires of the inventory it holds. */
interface Group {
  readonly sums: NightSums;
  luminaires: number;
}

/** The report of a period from its closed nights (one per night, in date order). */
export interface ClosedNightsReportInput {
  readonly site: SavingsReportInput['site'];
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly groupBy: ReportGrouping;
  readonly nights: readonly ClosedNight[];
  /** The inventory: each group counts its luminaires (every one counts every night of the period). */
  readonly luminaires: readonly Pick<ReportLuminaire, 'zone' | 'street'>[];
  readonly contracts: readonly BillContract[];
  readonly period: CoveredSpan;
  readonly alarms: readonly AlarmSpan[];
}

/** The report computed luminaire-night by luminaire-night: every night closed, then added up. */
export function savingsReport(input: SavingsReportInput): SavingsReport {
  const byNight = new Map<LocalDate, Map<string, MeteredNight>>();
  for (const reading of input.readings) {
    let ofNight = byNight.get(reading.night);
    if (ofNight === undefined) {
      ofNight = new Map();
      byNight.set(reading.night, ofNight);
    }
    ofNight.set(reading.luminaireId, reading);
  }
  const nights = [...input.nightHours].map(([night, nightHours]) =>
    closeNight({
      night,
      nightHours,
      luminaires: input.luminaires,
      plannedOf: (id) => input.plannedOf(id, night),
      lines: input.pricing.lines,
      slackSeconds: input.slackSeconds,
      readings: byNight.get(night) ?? new Map(),
    }),
  );
  return reportOfClosedNights({ ...input, nights });
}

/** The report of a period from its months' street sums (in month order, each its nights in date order). */
export interface MonthsReportInput extends Omit<ClosedNightsReportInput, 'nights'> {
  readonly months: readonly MonthSums[];
}

/** Adds up closed nights month by month, as month totals are stored (the same figures either way). */
export function reportOfClosedNights(input: ClosedNightsReportInput): SavingsReport {
  return reportOfMonths({ ...input, months: monthsOfNights(input.nights) });
}

/** Adds up months' street sums by group and month; the inventory gives each group its luminaires. */
export function reportOfMonths(input: MonthsReportInput): SavingsReport {
  const groupOf = (street: Pick<StreetSums, 'zone' | 'street'>, month: string): string => {
    switch (input.groupBy) {
      case 'site':
        return input.site.name;
      case 'zone':
        return street.zone;
      case 'street':
        return `${street.zone} / ${street.street}`;
      case 'month':
        return month;
    }
  };
  // Every luminaire counts every night: a zone or street holds its luminaires, any other group all.
  const inventory = input.luminaires.length;
  const byPlace = input.groupBy === 'zone' || input.groupBy === 'street';
  const perGroup = new Map<string, number>();
  if (byPlace)
    for (const luminaire of input.luminaires) {
      const key = groupOf(luminaire, monthOf(input.from));
      perGroup.set(key, (perGroup.get(key) ?? 0) + 1);
    }
  const luminairesOf = (key: string) => (byPlace ? (perGroup.get(key) ?? 0) : inventory);

  const groups = new Map<string, Group>();
  const months = new Map<string, Group>();
  const nights = input.months.flatMap((month) => month.nights);
  const total: Group = { sums: emptySums(), luminaires: nights.length === 0 ? 0 : inventory };
  const lines = new Map<string, PriceLine>();
  for (const month of input.months) {
    for (const line of month.lines) if (!lines.has(lineKey(line))) lines.set(lineKey(line), line);
    for (const street of month.streets) {
      const key = groupOf(street, month.month);
      addSums(upsert(groups, key, luminairesOf(key)).sums, street);
      addSums(upsert(months, month.month, inventory).sums, street);
      addSums(total.sums, street);
    }
  }

  const byKey = (map: Map<string, Group>) =>
    [...map]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, group]) => ({ key, ...figures(group, input.site), ipmvpOption: optionOf(group.sums) }));
  const totals = figures(total, input.site);
  const { name, co2KgPerKwh, currency, contract } = input.site;
  return {
    site: { name, co2KgPerKwh, currency, ...(contract === undefined ? {} : { contract }) },
    from: input.from,
    to: input.to,
    nights: nights.length,
    groupBy: input.groupBy,
    baselineDefinition: BASELINE_DEFINITION,
    completeNightsDefinition: COMPLETE_NIGHTS_DEFINITION,
    groups: byKey(groups),
    months: byKey(months),
    total: totals,
    ipmvpOption: optionOf(total.sums),
    tariffs: input.contracts.flatMap((contract) => tariffUses(nights, contract)),
    bill: billEstimate({
      lines: [...lines.values()],
      kwhByLine: [...lines.keys()].map((key) => total.sums.kwhByLine[key] ?? 0),
      nights,
      contracts: input.contracts,
    }),
    kpis: kpis({
      contract: input.site.contract,
      savingsShare: totals.savingsShare,
      litHours: total.sums.litHours,
      plannedLitHours: total.sums.plannedLitHours,
      luminaires: inventory,
      period: input.period,
      alarms: input.alarms,
    }),
  };
}

function optionOf(sums: NightSums): IpmvpOption {
  const { complete, stipulated } = sums.nights;
  if (complete > 0 && stipulated > 0) return 'A+B';
  if (stipulated > 0) return 'A';
  return complete > 0 ? 'B' : 'none';
}

/** The tariff of each night on a contract, as runs of consecutive nights under one tariff. */
function tariffUses(nights: readonly LocalDate[], contract: BillContract): TariffUse[] {
  const uses: TariffUse[] = [];
  for (const night of nights) {
    const tariff = contract.tariffOf(night);
    const last = uses.at(-1);
    if (last?.id === tariff.id) uses[uses.length - 1] = { ...last, to: night, nights: last.nights + 1 };
    else
      uses.push({
        option: contract.option,
        id: tariff.id,
        label: tariff.label,
        source: tariff.source ?? null,
        from: night,
        to: night,
        nights: 1,
      });
  }
  return uses;
}

function upsert(map: Map<string, Group>, key: string, luminaires: number): Group {
  let group = map.get(key);
  if (group === undefined) {
    group = { sums: emptySums(), luminaires };
    map.set(key, group);
  }
  return group;
}

function figures({ sums, luminaires }: Group, site: SavingsReportInput['site']): SavingsFigures {
  const meteredKwh = sums.meteredWh / 1000;
  const stipulatedKwh = sums.stipulatedWh / 1000;
  const baselineKwh = sums.baselineWh / 1000;
  const ledReferenceKwh = sums.ledReferenceWh / 1000;
  const reportingKwh = meteredKwh + stipulatedKwh;
  const savingsKwh = baselineKwh - reportingKwh;
  const { complete, partial, silent, stipulated } = sums.nights;
  const luminaireNights = complete + partial + silent + stipulated;
  const meteredCost = sums.meteredCostWh / 1000;
  const baselineCost = sums.baselineCostWh / 1000;
  return {
    luminaires,
    luminaireNights,
    completeLuminaireNights: complete,
    partialLuminaireNights: partial,
    silentLuminaireNights: silent,
    stipulatedLuminaireNights: stipulated,
    completeShare: luminaireNights === 0 ? 0 : complete / luminaireNights,
    stipulatedShare: luminaireNights === 0 ? 0 : stipulated / luminaireNights,
    burningHours: sums.burningHours,
    meteredKwh,
    partialMeteredKwh: sums.partialMeteredWh / 1000,
    stipulatedKwh,
    plannedLitHours: sums.plannedLitHours,
    availability: sums.plannedLitHours === 0 ? 0 : sums.litHours / sums.plannedLitHours,
    baselineKwh,
    ledReferenceKwh,
    savingsKwh,
    ledConversionSavingsKwh: baselineKwh - ledReferenceKwh,
    controlsSavingsKwh: ledReferenceKwh - reportingKwh,
    savingsShare: baselineKwh === 0 ? 0 : savingsKwh / baselineKwh,
    meteredCost,
    baselineCost,
    savingsCost: baselineCost - meteredCost,
    co2AvoidedKg: savingsKwh * site.co2KgPerKwh,
  };
}
