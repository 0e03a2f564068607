import type { LocalDate, Tariff } from '../config/schema.ts';
import type { PriceLine } from './prices.ts';

/**
 * An estimate of the electricity bill of a report's period under its tariffs: the energy by price
 * line, the fixed part (subscribed kVA × price per kVA and month, pro rata of the nights of each
 * month), then each tariff's tax lines in order. It prices the energy the report knows (metered,
 * and stipulated for luminaires without a meter); the utility's own bill is the reference.
 */
export interface BillEnergyLine extends PriceLine {
  readonly kwh: number;
  readonly amount: number;
}

export interface BillSubscriptionLine {
  readonly tariffId: string;
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

export interface BillInput {
  readonly lines: readonly PriceLine[];
  /** kWh priced by each line (same index as `lines`). */
  readonly kwhByLine: ArrayLike<number>;
  readonly nights: Iterable<LocalDate>;
  readonly tariffOf: (night: LocalDate) => Tariff;
  /** Subscribed power of the site's delivery points (0 when the inventory names none). */
  readonly subscribedKva: number;
}

const daysInMonth = (night: LocalDate): number =>
  new Date(Date.UTC(Number(night.slice(0, 4)), Number(night.slice(5, 7)), 0)).getUTCDate();

const trim = (value: number): string => String(Math.round(value * 10_000) / 10_000);

export function billEstimate(input: BillInput): BillEstimate {
  const tariffs = new Map<
    string,
    { tariff: Tariff; months: number; energyKwh: number; energyAmount: number }
  >();
  const use = (tariff: Tariff) => {
    let entry = tariffs.get(tariff.id);
    if (entry === undefined) {
      entry = { tariff, months: 0, energyKwh: 0, energyAmount: 0 };
      tariffs.set(tariff.id, entry);
    }
    return entry;
  };
  for (const night of input.nights) use(input.tariffOf(night)).months += 1 / daysInMonth(night);

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
  for (const { tariff, months, energyKwh, energyAmount } of tariffs.values()) {
    const fixed = input.subscribedKva * tariff.subscriptionEurPerKvaMonth * months;
    if (tariff.subscriptionEurPerKvaMonth > 0) {
      subscription.push({
        tariffId: tariff.id,
        kva: input.subscribedKva,
        eurPerKvaMonth: tariff.subscriptionEurPerKvaMonth,
        months,
        amount: fixed,
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
