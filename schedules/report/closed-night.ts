import type { Config, LocalDate } from '../config/schema.ts';
import { hasOwnController, type Luminaire } from '../inventory/schema.ts';
import type { Circuits } from '../plan/plan-night.ts';
import { type PriceLine, TariffBook } from '../tariff/prices.ts';
import { ZoneClock } from '../time/zone-clock.ts';
import { classifyNight, type NightClass, type NightReadings } from './night-classes.ts';
import { astronomicalNightHours } from './night-hours.ts';
import { type PlannedNight, plannedNights } from './night-windows.ts';

/**
 * A closed night: one night of the savings report summed per street, once, so that a report of a
 * period only adds up street sums (see docs/adr/0009-complete-nights.md). Every figure is a sum, so
 * street sums add up to zones, the site and months exactly as luminaire-nights do.
 */

export type NightKind = NightClass | 'stipulated';

/** What one luminaire's night metered, and when its first and last accepted readings were taken. */
export interface MeteredNight extends NightReadings {
  readonly wh: number;
  readonly burnH: number;
}

/** `controller: none`: no controller of its own (switched by its cabinet), so no meter: IPMVP Option A. */
export type ReportLuminaire = Pick<
  Luminaire,
  'id' | 'zone' | 'street' | 'ledWatts' | 'baselineWatts' | 'controller'
>;

/** Additive sums of luminaire-nights (Wh and hours; costs as Wh × price per kWh). */
export interface NightSums {
  nights: Record<NightKind, number>;
  meteredWh: number;
  partialMeteredWh: number;
  stipulatedWh: number;
  baselineWh: number;
  ledReferenceWh: number;
  burningHours: number;
  litHours: number;
  plannedLitHours: number;
  meteredCostWh: number;
  baselineCostWh: number;
  /** The energy the bill prices (metered on complete and partial nights, stipulated), kWh by price line key. */
  kwhByLine: Record<string, number>;
}

export interface StreetSums extends NightSums {
  readonly zone: string;
  readonly street: string;
}

export interface ClosedNight {
  readonly night: LocalDate;
  /** The price lines the night's energy fell in, in the order the night met them, by `lineKey`. */
  readonly lines: readonly PriceLine[];
  readonly streets: readonly StreetSums[];
}

export interface CloseNightInput {
  readonly night: LocalDate;
  /** Full astronomical night (sunset to sunrise) in hours: the baseline's burning hours. */
  readonly nightHours: number;
  readonly luminaires: readonly ReportLuminaire[];
  /** The plan of a luminaire's night: the span its readings must cover, its lit hours, energy and shares. */
  readonly plannedOf: (luminaireId: string) => PlannedNight;
  /** The price lines `Shares.lines` index. */
  readonly lines: readonly PriceLine[];
  /** How far inside the window the first and last readings may be: one report interval. */
  readonly slackSeconds: number;
  /** The night's readings by luminaire id; a luminaire without one is silent. */
  readonly readings: ReadonlyMap<string, MeteredNight>;
}

/** A price line's stable name: the same line whatever order a tariff book met the lines in. */
export const lineKey = (line: Pick<PriceLine, 'tariffId' | 'season' | 'period'>): string =>
  `${line.tariffId}\u0000${line.season}\u0000${line.period}`;

export const emptySums = (): NightSums => ({
  nights: { complete: 0, partial: 0, silent: 0, stipulated: 0 },
  meteredWh: 0,
  partialMeteredWh: 0,
  stipulatedWh: 0,
  baselineWh: 0,
  ledReferenceWh: 0,
  burningHours: 0,
  litHours: 0,
  plannedLitHours: 0,
  meteredCostWh: 0,
  baselineCostWh: 0,
  kwhByLine: {},
});

const bySite = (a: Pick<StreetSums, 'zone' | 'street'>, b: Pick<StreetSums, 'zone' | 'street'>) =>
  a.zone < b.zone ? -1 : a.zone > b.zone ? 1 : a.street < b.street ? -1 : a.street > b.street ? 1 : 0;

/** Streets in one order whatever wrote or read them, so that their sums add up the same every time. */
export const sortedStreets = (streets: readonly StreetSums[]): StreetSums[] => [...streets].sort(bySite);

/** Adds `from` into `into`. */
export function addSums(into: NightSums, from: NightSums): void {
  for (const kind of Object.keys(from.nights) as NightKind[]) into.nights[kind] += from.nights[kind];
  into.meteredWh += from.meteredWh;
  into.partialMeteredWh += from.partialMeteredWh;
  into.stipulatedWh += from.stipulatedWh;
  into.baselineWh += from.baselineWh;
  into.ledReferenceWh += from.ledReferenceWh;
  into.burningHours += from.burningHours;
  into.litHours += from.litHours;
  into.plannedLitHours += from.plannedLitHours;
  into.meteredCostWh += from.meteredCostWh;
  into.baselineCostWh += from.baselineCostWh;
  for (const [key, kwh] of Object.entries(from.kwhByLine))
    into.kwhByLine[key] = (into.kwhByLine[key] ?? 0) + kwh;
}

/**
 * Classifies and sums every luminaire-night of the inventory for one night, by street: complete
 * nights count metered energy against the baseline, partial ones are billed but count no saving,
 * silent ones count nothing, and luminaires without a meter are stipulated from their plan.
 */
export function closeNight(input: CloseNightInput): ClosedNight {
  const lineKeys = input.lines.map(lineKey);
  const used = new Set<number>();
  const streets = new Map<string, StreetSums>();
  for (const luminaire of input.luminaires) {
    const metered = hasOwnController(luminaire);
    const reading = input.readings.get(luminaire.id);
    const planned = input.plannedOf(luminaire.id);
    const kind: NightKind = metered ? classifyNight(planned, reading, input.slackSeconds) : 'stipulated';
    const wh = metered ? (reading?.wh ?? 0) : planned.plannedWh;
    const key = `${luminaire.zone}\u0000${luminaire.street}`;
    let sums = streets.get(key);
    if (sums === undefined) {
      sums = { zone: luminaire.zone, street: luminaire.street, ...emptySums() };
      streets.set(key, sums);
    }
    sums.nights[kind] += 1;
    if (kind === 'silent') continue;
    const { shares } = planned;
    for (let i = 0; i < shares.lines.length; i++) {
      const line = shares.lines[i] as number;
      const name = lineKeys[line] as string;
      used.add(line);
      sums.kwhByLine[name] = (sums.kwhByLine[name] ?? 0) + (wh * (shares.fractions[i] as number)) / 1000;
    }
    if (kind === 'partial') {
      sums.partialMeteredWh += wh;
      continue;
    }
    if (kind === 'complete') {
      sums.meteredWh += wh;
      sums.burningHours += reading?.burnH ?? 0;
      sums.litHours += Math.min(reading?.burnH ?? 0, planned.litHours);
      sums.plannedLitHours += planned.litHours;
    } else {
      sums.stipulatedWh += wh;
    }
    const baselineWh = luminaire.baselineWatts * input.nightHours;
    sums.meteredCostWh += wh * shares.eurPerKwh;
    sums.baselineWh += baselineWh;
    // The baseline is priced on the luminaire's own delivery point: its cabinet's contract option.
    sums.baselineCostWh += baselineWh * planned.baselineShares.eurPerKwh;
    sums.ledReferenceWh += luminaire.ledWatts * input.nightHours;
  }
  return {
    night: input.night,
    lines: [...used].sort((a, b) => a - b).map((line) => input.lines[line] as PriceLine),
    streets: sortedStreets([...streets.values()]),
  };
}

/**
 * Closes one night as the configuration plans it, bounded by `circuits`. Each night gets its own tariff book, so its
 * lines come in the order this night meets them, whichever nights are closed together.
 */
export function closeNightAsPlanned(
  config: Config,
  luminaires: readonly Luminaire[],
  night: LocalDate,
  readings: ReadonlyMap<string, MeteredNight>,
  circuits: Circuits,
): ClosedNight {
  const prices = new TariffBook(config.site, ZoneClock.of(config.site.timezone));
  const planned = plannedNights(config, luminaires, night, night, prices, circuits);
  const plans = planned.nights.get(night);
  const nightHours = astronomicalNightHours(config.site, night, night).get(night);
  if (plans === undefined || nightHours === undefined) throw new RangeError(`night ${night} was not planned`);
  return closeNight({
    night,
    nightHours,
    luminaires,
    plannedOf: (id) => {
      const plan = plans.get(id);
      if (plan === undefined) throw new RangeError(`no planned night for ${id} on ${night}`);
      return plan;
    },
    lines: prices.lines,
    slackSeconds: config.alarms.reportIntervalSeconds,
    readings,
  });
}
