import type { SavingsFigures } from '#schedules/report/savings.ts';
import { formatEuro, formatKwh, formatNumber, formatPercent } from '../../format.ts';
import type { FinanceKey } from '../../i18n/finance.fr.ts';
import { locale } from '../../i18n/index.ts';

export type Totals = Pick<
  SavingsFigures,
  'savingsKwh' | 'savingsCost' | 'co2AvoidedKg' | 'savingsShare' | 'meteredKwh' | 'baselineKwh'
>;

/** CO2 in kilograms with one decimal (`76,1 kg`). */
export const formatKg = (kg: number): string => `${formatNumber(kg, 1)}\u00a0kg`;

/** A share 0..1 as a percentage (`42 %`). */
export const formatShare = (share: number): string => formatPercent(share * 100);

/** A month key `YYYY-MM` as the reader says it (`nov. 2026`). */
export function formatMonth(month: string): string {
  return new Intl.DateTimeFormat(locale(), { timeZone: 'UTC', month: 'short', year: 'numeric' }).format(
    new Date(`${month}-01T12:00:00Z`),
  );
}

/** The report's headline figures, in the order the page shows them. */
export function totalCards(total: Totals): { readonly label: FinanceKey; readonly value: string }[] {
  return [
    { label: 'reports.total.savingsKwh', value: formatKwh(total.savingsKwh) },
    { label: 'reports.total.savingsCost', value: formatEuro(total.savingsCost) },
    { label: 'reports.total.co2', value: formatKg(total.co2AvoidedKg) },
    { label: 'reports.total.share', value: formatShare(total.savingsShare) },
    { label: 'reports.total.metered', value: formatKwh(total.meteredKwh) },
    { label: 'reports.total.baseline', value: formatKwh(total.baselineKwh) },
  ];
}
