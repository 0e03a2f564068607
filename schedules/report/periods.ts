import type { LocalDate } from '../config/schema.ts';
import { addDays } from '../time/local-date.ts';

/** The last date of a month `YYYY-MM`. */
export function lastDayOfMonth(month: string): LocalDate {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, m, 0)).toISOString().slice(0, 10);
}

export interface PeriodSplit {
  /** The whole months inside the period, as a date range (first of a month to last of a month). */
  readonly wholeMonths: { readonly from: LocalDate; readonly to: LocalDate } | null;
  /** The nights at the edges that do not fill their month. */
  readonly partialNights: readonly { readonly from: LocalDate; readonly to: LocalDate }[];
}

/**
 * Splits a period of nights into whole months (read from month rollups: one small item per street
 * and month) and the partial months at its edges (read from night rollups), so a year's report
 * reads twelve month partitions of street rows instead of 365 nights of zone rows.
 */
export function splitPeriod(from: LocalDate, to: LocalDate): PeriodSplit {
  const partialNights: { from: LocalDate; to: LocalDate }[] = [];
  let wholeFrom = from;
  if (!from.endsWith('-01')) {
    const headEnd = lastDayOfMonth(from.slice(0, 7));
    if (headEnd >= to) return { wholeMonths: null, partialNights: [{ from, to }] };
    partialNights.push({ from, to: headEnd });
    wholeFrom = addDays(headEnd, 1);
  }
  let wholeTo = to;
  if (to !== lastDayOfMonth(to.slice(0, 7))) {
    const tailStart = `${to.slice(0, 7)}-01`;
    partialNights.push({ from: tailStart < wholeFrom ? wholeFrom : tailStart, to });
    wholeTo = addDays(tailStart, -1);
  }
  return { wholeMonths: wholeFrom <= wholeTo ? { from: wholeFrom, to: wholeTo } : null, partialNights };
}
