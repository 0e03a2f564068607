import { z } from 'zod';
import { calendarMonth, zonesNamed } from '#schedules/index.ts';
import type { ApiDeps } from '../deps.ts';
import { json, parseQuery, type Route } from '../router.ts';
import { SCHEDULE_ROLES } from './config-collection.ts';

/** Years a month view may show: plans and calendars beyond them are mistakes, not plans. */
const FIRST_YEAR = 2000;
const LAST_YEAR = 2099;
/** Zones one request may ask for: a month of 50 zones stays a few hundred kilobytes. */
const MAX_ZONES = 50;

const MonthQuery = z.object({
  month: z
    .string({ error: 'required: a month "YYYY-MM"' })
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month "YYYY-MM"')
    .refine((month) => Number(month.slice(0, 4)) >= FIRST_YEAR && Number(month.slice(0, 4)) <= LAST_YEAR, {
      message: `expected a month of the years ${FIRST_YEAR} to ${LAST_YEAR}`,
    }),
  zone: z
    .string()
    .max(4000)
    .transform((list) => [...new Set(list.split(',').map((zone) => zone.trim()))])
    .pipe(
      z
        .array(z.string().min(1, 'a zone name must not be empty').max(200))
        .max(MAX_ZONES, `at most ${MAX_ZONES} zones`),
    )
    .optional(),
});

/**
 * The month view of the calendar the console draws. The zones are those asked for (`zone=a,b`), or
 * else those the config names: listing the inventory's zones would read every luminaire, and a zone
 * no rule names follows what the answer's `otherZones` says.
 */
export function calendarMonthRoutes(deps: ApiDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/calendar/month',
      roles: SCHEDULE_ROLES,
      async handle(request) {
        const query = parseQuery(request, MonthQuery);
        const config = await deps.config.load();
        return json(200, calendarMonth(config, query.zone ?? zonesNamed(config), query.month));
      },
    },
  ];
}
