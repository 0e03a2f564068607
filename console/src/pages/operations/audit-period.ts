import type { LocalDate } from '#schedules/config/schema.ts';
import { addDays } from '#schedules/time/local-date.ts';
import { ZoneClock } from '#schedules/time/zone-clock.ts';

/** The longest range one `GET /audit` request may cover (the API's bound, functions/api/routes/operations.ts). */
export const MAX_AUDIT_DAYS = 366;

const DAY_SECONDS = 86_400;

export type AuditPeriodResult =
  | { readonly ok: true; readonly from: string; readonly to: string }
  | { readonly ok: false; readonly field: 'from' | 'to'; readonly problem: 'invalid' | 'order' | 'too-long' };

const isDate = (text: string): text is LocalDate =>
  /^\d{4}-\d{2}-\d{2}$/.test(text) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);

/**
 * The instants of `GET /audit` for whole days at the site: from the first day's midnight to the
 * end of the last day, in the site's zone, whatever the browser's zone.
 */
export function auditPeriod(from: string, to: string, timezone: string): AuditPeriodResult {
  if (!isDate(from)) return { ok: false, field: 'from', problem: 'invalid' };
  if (!isDate(to)) return { ok: false, field: 'to', problem: 'invalid' };
  if (from > to) return { ok: false, field: 'from', problem: 'order' };
  const clock = ZoneClock.of(timezone);
  const start = clock.toEpoch(from, 0);
  const end = clock.toEpoch(addDays(to, 1), 0) - 1;
  // A period of 366 days crossing an autumn clock change is an hour longer than the API allows.
  if (end - start > MAX_AUDIT_DAYS * DAY_SECONDS + 3600)
    return { ok: false, field: 'from', problem: 'too-long' };
  const cappedEnd = Math.min(end, start + MAX_AUDIT_DAYS * DAY_SECONDS);
  return {
    ok: true,
    from: new Date(start * 1000).toISOString(),
    to: new Date(cappedEnd * 1000).toISOString(),
  };
}

/** The default audit period: the 30 days up to today at the site (the API's own default). */
export function defaultAuditDays(today: LocalDate): { from: LocalDate; to: LocalDate } {
  return { from: addDays(today, -29), to: today };
}
