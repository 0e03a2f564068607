import { locale } from './i18n/index.ts';

/**
 * Figures and times as the console shows them, in the current language's conventions (French by
 * default: `1 223,6 kWh`, `580,71 €`, `29/11/2026`) and, for instants, in the site's time zone
 * whatever the browser's own zone is.
 */

const NBSP = '\u00a0';

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(key: string, make: () => Intl.NumberFormat): Intl.NumberFormat {
  let format = numberFormats.get(key);
  if (format === undefined) {
    format = make();
    numberFormats.set(key, format);
  }
  return format;
}

/** A number with at most `fractionDigits` decimals (`1 223,6`). */
export function formatNumber(value: number, fractionDigits = 0): string {
  const tag = locale();
  return numberFormat(`n${tag}${fractionDigits}`, () =>
    Intl.NumberFormat(tag, { maximumFractionDigits: fractionDigits }),
  ).format(value);
}

/** Energy in kWh with one decimal (`1 223,6 kWh`). */
export const formatKwh = (kwh: number): string => `${formatNumber(kwh, 1)}${NBSP}kWh`;

/** An amount in euros, always with cents (`580,71 €`). */
export function formatEuro(euros: number): string {
  const tag = locale();
  return numberFormat(`eur${tag}`, () =>
    Intl.NumberFormat(tag, { style: 'currency', currency: 'EUR' }),
  ).format(euros);
}

/** A percentage from a ratio or a level 0..100 given as such (`70 %`). */
export function formatPercent(level: number): string {
  const tag = locale();
  return numberFormat(`pct${tag}`, () =>
    Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 0 }),
  ).format(level / 100);
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
function dateTimeFormat(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const tag = locale();
  const key = `${tag}|${timeZone}|${JSON.stringify(options)}`;
  let format = dateTimeFormats.get(key);
  if (format === undefined) {
    format = Intl.DateTimeFormat(tag, { ...options, timeZone });
    dateTimeFormats.set(key, format);
  }
  return format;
}

const toDate = (instant: number | Date): Date =>
  instant instanceof Date ? instant : new Date(instant * 1000);

/** The day of an instant (epoch seconds or a Date) in the site's zone (`29/11/2026`). */
export const formatDate = (instant: number | Date, timeZone: string): string =>
  dateTimeFormat(timeZone, { day: '2-digit', month: '2-digit', year: 'numeric' }).format(toDate(instant));

/** The wall-clock time of an instant in the site's zone (`17:23`). */
export const formatTime = (instant: number | Date, timeZone: string): string =>
  dateTimeFormat(timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(toDate(instant));

/** Day and time of an instant in the site's zone (`29/11/2026 17:23`). */
export const formatDateTime = (instant: number | Date, timeZone: string): string =>
  `${formatDate(instant, timeZone)} ${formatTime(instant, timeZone)}`;

/** A calendar date as the API writes it (`2026-11-29`, a night or a report day), shown as a date. */
export function formatLocalDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  // Noon UTC of that day falls on that day in every zone the formatter could use.
  return formatDate(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1, 12) / 1000, 'UTC');
}
