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

/** A month "YYYY-MM" of the years a public date may name. */
const PlausibleMonth = z
  .string()
  .regex(/^20\d\d-(0[1-9]|1[0-2])$/, 'expected a month YYYY-MM of the years 2000 to 2099');

/**
 * `GET /public/schedules`: one night (tonight when absent) or every night of a `month` (a printed
 * timetable in one request, at most 31 nights), for one zone, the zones of one `commune`, or all.
 */
export const PublicScheduleQuery = z
  .object({
    night: PlausibleDate.optional(),
    month: PlausibleMonth.optional(),
    zone: PlaceName.optional(),
    commune: PlaceName.optional(),
    format: z.enum(PUBLIC_FORMATS).default('json'),
    csv: z.enum(CSV_STYLES).default('fr'),
  })
  .refine((q) => q.night === undefined || q.month === undefined, {
    message: 'give a night or a month, not both',
    path: ['month'],
  })
  .refine((q) => q.zone === undefined || q.commune === undefined, {
    message: 'give a zone or a commune, not both',
    path: ['commune'],
  });
export type PublicScheduleQuery = z.infer<typeof PublicScheduleQuery>;

/** The nights of a month "YYYY-MM", as dates. */
export function nightsOfMonth(month: string): string[] {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return Array.from({ length: days }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}

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
