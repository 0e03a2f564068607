import { z } from 'zod';
import { LocalDate } from '../config/schema.ts';
import { PlaceName } from '../inventory/schema.ts';
import { CSV_STYLES } from '../report/query.ts';

/** A public answer covers at most a year: longer series are better harvested year by year. */
export const MAX_PUBLIC_NIGHTS = 366;
/**
 * Lit hours by street cover at least a week: a single night's burning hours of one street would
 * show a presence relight during its extinction, that is, that someone walked there that night.
 */
export const MIN_STREET_NIGHTS = 7;

const PUBLIC_FORMATS = ['json', 'csv'] as const;

/** Years a public date may name: anything else is a typo, not a plan. */
const PlausibleDate = LocalDate.refine((d) => d >= '2000-01-01' && d <= '2099-12-31', {
  message: 'expected a date of the years 2000 to 2099',
});

/** `GET /public/schedules`: one night (tonight when absent), one zone or all. */
export const PublicScheduleQuery = z.object({
  night: PlausibleDate.optional(),
  zone: PlaceName.optional(),
  format: z.enum(PUBLIC_FORMATS).default('json'),
  csv: z.enum(CSV_STYLES).default('fr'),
});
export type PublicScheduleQuery = z.infer<typeof PublicScheduleQuery>;

const nightsOf = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;

/** `GET /public/lit-hours`: lit hours and energy of a period, by zone or street. */
export const LitHoursQuery = z
  .object({
    from: PlausibleDate,
    to: PlausibleDate,
    groupBy: z.enum(['zone', 'street']).default('zone'),
    format: z.enum(PUBLIC_FORMATS).default('json'),
    csv: z.enum(CSV_STYLES).default('fr'),
  })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => nightsOf(q.from, q.to) <= MAX_PUBLIC_NIGHTS, {
    message: `a period covers at most ${MAX_PUBLIC_NIGHTS} nights`,
    path: ['to'],
  })
  .refine((q) => q.groupBy !== 'street' || nightsOf(q.from, q.to) >= MIN_STREET_NIGHTS, {
    message: `lit hours by street cover at least ${MIN_STREET_NIGHTS} nights`,
    path: ['from'],
  });
export type LitHoursQuery = z.infer<typeof LitHoursQuery>;
