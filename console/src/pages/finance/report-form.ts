import type { LocalDate } from '#schedules/config/schema.ts';
import { type ReportFormat, SavingsQuery } from '#schedules/report/query.ts';
import type { ReportGrouping } from '#schedules/report/savings.ts';
import { addDays } from '#schedules/time/local-date.ts';

/** What the report form holds: text as typed (date inputs give YYYY-MM-DD), before validation. */
export interface ReportForm {
  readonly from: string;
  readonly to: string;
  readonly groupBy: string;
}

export type ReportFormField = keyof ReportForm;

/** `invalid`: not a date or grouping; `order`: from after to; `too-long`: more nights than the API serves. */
export type ReportFormProblem = 'invalid' | 'order' | 'too-long';

export type ReportFormResult =
  | { readonly ok: true; readonly query: { from: LocalDate; to: LocalDate; groupBy: ReportGrouping } }
  | { readonly ok: false; readonly errors: Partial<Record<ReportFormField, ReportFormProblem>> };

/**
 * Checks the form with the API's own schema; each problem lands on the field it names, as a code
 * the page words in the reader's language. The schema's two refinements are the range checks:
 * the one on `from` is the order, the one on `to` the length.
 */
export function reportQueryOf(form: ReportForm): ReportFormResult {
  const parsed = SavingsQuery.safeParse(form);
  if (parsed.success) {
    const { from, to, groupBy } = parsed.data;
    return { ok: true, query: { from, to, groupBy } };
  }
  const errors: Partial<Record<ReportFormField, ReportFormProblem>> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if ((field === 'from' || field === 'to' || field === 'groupBy') && errors[field] === undefined) {
      const valid = SavingsQuery.shape[field].safeParse(form[field]).success;
      errors[field] = !valid ? 'invalid' : field === 'from' ? 'order' : 'too-long';
    }
  }
  return { ok: false, errors };
}

/** The query string of `GET /reports/savings` for a checked query and a rendering. */
export function reportSearch(
  query: { from: LocalDate; to: LocalDate; groupBy: ReportGrouping },
  format: ReportFormat,
): string {
  return new URLSearchParams({ from: query.from, to: query.to, groupBy: query.groupBy, format }).toString();
}

export const PERIOD_PRESETS = [
  'last-month',
  'month-to-date',
  'year-to-date',
  'last-year',
  'last-12-months',
] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

/**
 * The nights of a preset period, given today's date at the site. A period never includes tonight:
 * its energy is not reported yet (`month-to-date` on the 1st is yesterday's month).
 */
export function presetPeriod(preset: PeriodPreset, today: LocalDate): { from: LocalDate; to: LocalDate } {
  const yesterday = addDays(today, -1);
  const firstOfMonth = (date: LocalDate): LocalDate => `${date.slice(0, 7)}-01`;
  switch (preset) {
    case 'last-month': {
      const to = addDays(firstOfMonth(today), -1);
      return { from: firstOfMonth(to), to };
    }
    case 'month-to-date':
      return { from: firstOfMonth(yesterday), to: yesterday };
    case 'year-to-date':
      return { from: `${yesterday.slice(0, 4)}-01-01`, to: yesterday };
    case 'last-year': {
      const year = Number(today.slice(0, 4)) - 1;
      return { from: `${year}-01-01`, to: `${year}-12-31` };
    }
    case 'last-12-months': {
      // A year before 29 February is the 28th: the period then starts on 1 March.
      const monthDay = yesterday.slice(5) === '02-29' ? '02-28' : yesterday.slice(5);
      return { from: addDays(`${Number(yesterday.slice(0, 4)) - 1}-${monthDay}`, 1), to: yesterday };
    }
  }
}
