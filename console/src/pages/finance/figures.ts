import type { LocalDate } from '../../../../schedules/config/schema.ts';

/**
 * How the report's figures read in the console's language: `1 223,6 kWh`, `580,71 €`,
 * `29/11/2026` in French. Dates of the report are nights (calendar dates), formatted without any
 * time-zone shift.
 */
export interface FigureFormat {
  kwh(value: number): string;
  money(value: number): string;
  co2Kg(value: number): string;
  percent(share: number): string;
  count(value: number): string;
  date(date: LocalDate): string;
  /** A month key `YYYY-MM` as `nov. 2026`. */
  month(month: string): string;
}

export function figureFormat(locale: string, currency: string): FigureFormat {
  const decimals = (digits: number) =>
    new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const one = decimals(1);
  const whole = decimals(0);
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const percent = new Intl.NumberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  const date = new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  });
  const month = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'short', year: 'numeric' });
  const utcDate = (text: string) => new Date(`${text}T00:00:00Z`);
  return {
    kwh: (value) => `${one.format(value)} kWh`,
    money: (value) => money.format(value),
    co2Kg: (value) => `${one.format(value)} kg`,
    percent: (share) => percent.format(share),
    count: (value) => whole.format(value),
    date: (text) => date.format(utcDate(text)),
    month: (text) => month.format(utcDate(`${text}-01`)),
  };
}
