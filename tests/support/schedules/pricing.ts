import type { ReportPricing } from '#schedules/report/savings.ts';
import type { BillContract } from '#schedules/tariff/bill.ts';
import { flatTariff } from '#schedules/tariff/periods.ts';
import type { Shares } from '#schedules/tariff/prices.ts';

/** One price for every kWh: the report's pricing of a site without dated tariffs. */
export function flatPricing(eurPerKwh: number): {
  readonly pricing: ReportPricing;
  readonly shares: Shares;
  readonly contracts: readonly BillContract[];
} {
  const tariff = flatTariff(eurPerKwh);
  const shares: Shares = { lines: [0], fractions: [1], eurPerKwh };
  return {
    shares,
    contracts: [{ option: null, subscribedKva: 0, tariffOf: () => tariff }],
    pricing: {
      lines: [{ tariffId: tariff.id, season: 'all-year', period: 'base', eurPerKwh }],
    },
  };
}
