import type { ReportPricing } from '#schedules/report/savings.ts';
import { flatTariff } from '#schedules/tariff/periods.ts';
import type { Shares } from '#schedules/tariff/prices.ts';

/** One price for every kWh: the report's pricing of a site without dated tariffs. */
export function flatPricing(eurPerKwh: number): { readonly pricing: ReportPricing; readonly shares: Shares } {
  const tariff = flatTariff(eurPerKwh);
  const shares: Shares = { lines: [0], fractions: [1], eurPerKwh };
  return {
    shares,
    pricing: {
      lines: [{ tariffId: tariff.id, season: 'all-year', period: 'base', eurPerKwh }],
      tariffOf: () => tariff,
      baselineShares: () => shares,
    },
  };
}
