import { z } from 'zod';
import { LocalDate } from '../config/schema.ts';
import { REPORT_GROUPINGS } from './savings.ts';

export const REPORT_FORMATS = ['json', 'csv', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * `fr` is what a French spreadsheet opens as columns: `;` between fields, a decimal comma and a
 * UTF-8 byte-order mark; `rfc4180` (`,` and a decimal point) is for programs and open data.
 */
export const CSV_STYLES = ['fr', 'rfc4180'] as const;
export type CsvStyle = (typeof CSV_STYLES)[number];

/** A report covers at most a few years: the rollups of longer periods are better exported. */
export const MAX_REPORT_NIGHTS = 3 * 366;

/**
 * The query of the savings report, shared by the API (`GET /reports/savings`) and the console's
 * report form, so the form refuses exactly what the API would.
 */
export const SavingsQuery = z
  .object({
    from: LocalDate,
    to: LocalDate,
    groupBy: z.enum(REPORT_GROUPINGS).default('zone'),
    format: z.enum(REPORT_FORMATS).default('json'),
    csv: z.enum(CSV_STYLES).default('fr'),
  })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < MAX_REPORT_NIGHTS, {
    message: `a report covers at most ${MAX_REPORT_NIGHTS} nights`,
    path: ['to'],
  });
export type SavingsQuery = z.infer<typeof SavingsQuery>;
