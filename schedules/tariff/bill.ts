import type { LocalDate, Tariff } from '../config/schema.ts';
import type { Cabinet, Luminaire } from '../inventory/schema.ts';
import type { PriceLine } from './prices.ts';

/**
 * An estimate of the electricity bill of a report's period under its tariffs: the energy by price
 * line, the fixed part of each contract option's delivery points (their subscribed kVA × its
 * tariff's price per kVA and month, pro rata of the nights of each month), then each tariff's tax
 * lines in order. It prices the energy the report knows (metered,
 * and stipulated for luminaires without a meter); the utility's own bill is the reference.
 */
export interface BillEnergyLine extends PriceLine {
  readonly kwh: number;
  readonly amount: number;
}

export interface BillSubscriptionLine {
  readonly tariffId: string;
  /** The contract option of the delivery points it bills; null for the site's own tariff. */
  readonly option: string | null;
  readonly kva: number;
  readonly eurPerKvaMonth: number;
  /** Months of subscription the period's nights make (30 nights of a 30-day month = 1). */
  readonly months: number;
  readonly amount: number;
}

export interface BillTaxLine {
  readonly tariffId: string;
  readonly name: string;
  /** How it was computed, e.g. "0.0225 per kWh × 1234.5 kWh" or "20 % of 456.78". */
  readonly basis: string;
  readonly amount: number;
}

export interface BillEstimate {
  readonly energy: readonly BillEnergyLine[];
  readonly subscription: readonly BillSubscriptionLine[];
  readonly taxes: readonly BillTaxLine[];
  readonly totalExcludingTaxes: number;
  readonly total: number;
}

/**
 * The delivery points billed on one contract option (ADR 0014): their subscribed power, and the
 * tariff of that option on each night. `option` null: the site's own tariff, which prices the
 * luminaires no cabinet names.
 */
export interface BillContract {
  readonly option: string | null;
  /** Subscribed power of those delivery points (0 when none). */
  readonly subscribedKva: number;
  tariffOf(night: LocalDate): Tariff;
}

/**
 * The contracts of a site: its own tariff where a luminaire names no cabinet (no delivery point of
 * the inventory: no kVA), then one per contract option its cabinets name, with their subscribed
 * kVA, by option.
 */
export function contractsOf(
  prices: { tariffOf(night: LocalDate, option?: string): Tariff },
  cabinets: readonly Pick<Cabinet, 'tariffOption' | 'subscribedKva'>[],
  luminaires: readonly Pick<Luminaire, 'cabinet'>[],
): BillContract[] {
  const kvaOf = new Map<string, number>();
  for (const cabinet of cabinets)
    kvaOf.set(cabinet.tariffOption, (kvaOf.get(cabinet.tariffOption) ?? 0) + cabinet.subscribedKva);
  const options = [...kvaOf].sort(([a], [b]) => (a < b ? -1 : 1));
  const own = cabinets.length === 0 || luminaires.some((luminaire) => luminaire.cabinet === undefined);
  return [
    ...(own
      ? [{ option: null, subscribedKva: 0, tariffOf: (night: LocalDate) => prices.tariffOf(night) }]
      : []),
    ...options.map(([option, subscribedKva]) => ({
      option,
      subscribedKva,
      tariffOf: (night: LocalDate) => prices.tariffOf(night, option),
    })),
  ];
}

export interface BillInput {
  readonly lines: readonly PriceLine[];
  /** kWh priced by each line (same index as `lines`). */
  readonly kwhByLine: ArrayLike<number>;
  readonly nights: Iterable<LocalDate>;
  readonly contracts: readonly BillContract[];
}

const daysInMonth = (night: LocalDate): number =>
  new Date(Date.UTC(Number(night.slice(0, 4)), Number(night.slice(5, 7)), 0)).getUTCDate();

const trim = (value: number): string => String(Math.round(value * 10_000) / 10_000);

export function billEstimate(input: BillInput): BillEstimate {
  const tariffs = new Map<
    string,
    {
      tariff: Tariff;
      /** Months × kVA of each option billed under it (the fixed part is per delivery point). */
      kvaMonths: Map<string | null, { kva: number; months: number }>;
      energyKwh: number;
      energyAmount: number;
    }
  >();
  const use = (tariff: Tariff) => {
    let entry = tariffs.get(tariff.id);
    if (entry === undefined) {
      entry = { tariff, kvaMonths: new Map(), energyKwh: 0, energyAmount: 0 };
      tariffs.set(tariff.id, entry);
    }
    return entry;
  };
  const nights = [...input.nights];
  for (const contract of input.contracts)
    for (const night of nights) {
      const { kvaMonths } = use(contract.tariffOf(night));
      const billed = kvaMonths.get(contract.option) ?? { kva: contract.subscribedKva, months: 0 };
      billed.months += 1 / daysInMonth(night);
      kvaMonths.set(contract.option, billed);
    }

  const energy = input.lines.flatMap((line, i) => {
    const kwh = input.kwhByLine[i] ?? 0;
    const entry = tariffs.get(line.tariffId);
    if (entry === undefined || kwh === 0) return [];
    entry.energyKwh += kwh;
    entry.energyAmount += kwh * line.eurPerKwh;
    return [{ ...line, kwh, amount: kwh * line.eurPerKwh }];
  });

  const subscription: BillSubscriptionLine[] = [];
  const taxes: BillTaxLine[] = [];
  let totalExcludingTaxes = 0;
  let total = 0;
  for (const { tariff, kvaMonths, energyKwh, energyAmount } of tariffs.values()) {
    let fixed = 0;
    for (const [option, { kva, months }] of kvaMonths) {
      const amount = kva * tariff.subscriptionEurPerKvaMonth * months;
      fixed += amount;
      if (tariff.subscriptionEurPerKvaMonth > 0 && kva > 0)
        subscription.push({
          tariffId: tariff.id,
          option,
          kva,
          eurPerKvaMonth: tariff.subscriptionEurPerKvaMonth,
          months,
          amount,
        });
    }
    let subtotal = energyAmount + fixed;
    totalExcludingTaxes += subtotal;
    for (const tax of tariff.taxes) {
      const [basis, amount] =
        tax.kind === 'per-kwh'
          ? [`${trim(tax.eurPerKwh)} per kWh × ${trim(energyKwh)} kWh`, tax.eurPerKwh * energyKwh]
          : (() => {
              const base = { energy: energyAmount, subscription: fixed, subtotal }[tax.of];
              return [`${tax.percent} % of ${tax.of} ${trim(base)}`, (base * tax.percent) / 100] as const;
            })();
      taxes.push({ tariffId: tariff.id, name: tax.name, basis, amount });
      subtotal += amount;
    }
    total += subtotal;
  }
  return { energy, subscription, taxes, totalExcludingTaxes, total };
}
