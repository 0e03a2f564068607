import { type LocalDate, type Tariff, type TariffSeason, WEEKDAYS } from '../config/schema.ts';
import { minutesOfDay } from '../time/local-date.ts';

/**
 * Tariff periods as a grid of the week, and what the config checks of it: a tariff's periods must
 * cover every minute of the week exactly once in each season, and every month must belong to
 * exactly one season (a gap would leave energy unpriced, an overlap would price it twice).
 */

export const MINUTES_PER_DAY = 1440;
export const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

/** "24:00" ends a day; every other bound is an "HH:MM" of the day. */
export const slotMinutes = (hhmm: string): number =>
  hhmm === '24:00' ? MINUTES_PER_DAY : minutesOfDay(hhmm);

const END_OF_TIME = '9999-12-31';

export function validityOverlaps(
  a: Pick<Tariff, 'validFrom' | 'validTo'>,
  b: Pick<Tariff, 'validFrom' | 'validTo'>,
) {
  return a.validFrom <= (b.validTo ?? END_OF_TIME) && b.validFrom <= (a.validTo ?? END_OF_TIME);
}

/** The tariff of a night, if one is valid then. */
export function tariffOn(tariffs: readonly Tariff[], night: LocalDate): Tariff | undefined {
  return tariffs.find((t) => t.validFrom <= night && night <= (t.validTo ?? END_OF_TIME));
}

interface CoverageIssue {
  readonly path: PropertyKey[];
  readonly message: string;
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const wall = (minute: number): string => {
  const day = WEEKDAYS[Math.floor(minute / MINUTES_PER_DAY)];
  const m = minute % MINUTES_PER_DAY;
  return `${day} ${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

/** Runs of equal flags as "mon 06:00-mon 07:00" (at most a few, so a message stays readable). */
function runs(flags: readonly boolean[], limit = 3): string {
  const found: string[] = [];
  let total = 0;
  for (let m = 0; m < flags.length; m++) {
    if (!flags[m] || (m > 0 && flags[m - 1])) continue;
    let end = m;
    while (end < flags.length && flags[end]) end++;
    total++;
    if (found.length < limit) found.push(`${wall(m)}-${end === MINUTES_PER_WEEK ? 'sun 24:00' : wall(end)}`);
  }
  return total > limit ? `${found.join(', ')} and ${total - limit} more` : found.join(', ');
}

/**
 * The minute-of-week grid of a season: the index of the period covering each minute (Monday 00:00
 * is minute 0), or -1 where no period does; `overlaps` flags minutes covered more than once.
 */
export function seasonGrid(season: Pick<TariffSeason, 'periods'>): { grid: Int8Array; overlaps: boolean[] } {
  const grid = new Int8Array(MINUTES_PER_WEEK).fill(-1);
  const overlaps = new Array<boolean>(MINUTES_PER_WEEK).fill(false);
  season.periods.forEach((period, p) => {
    for (const slot of period.slots) {
      for (const day of slot.days) {
        const base = WEEKDAYS.indexOf(day) * MINUTES_PER_DAY;
        for (let m = base + slotMinutes(slot.from); m < base + slotMinutes(slot.to); m++) {
          if (grid[m] !== -1) overlaps[m] = true;
          grid[m] = p;
        }
      }
    }
  });
  return { grid, overlaps };
}

/** Gaps and overlaps of a tariff's periods in each season, and months in no season or in two. */
export function coverageIssues(tariff: Pick<Tariff, 'seasons'>): CoverageIssue[] {
  const issues: CoverageIssue[] = [];
  tariff.seasons.forEach((season, s) => {
    const { grid, overlaps } = seasonGrid(season);
    const gaps = Array.from(grid, (p) => p === -1);
    if (gaps.includes(true)) {
      issues.push({ path: ['seasons', s, 'periods'], message: `no period covers ${runs(gaps)}` });
    }
    if (overlaps.includes(true)) {
      issues.push({ path: ['seasons', s, 'periods'], message: `periods overlap on ${runs(overlaps)}` });
    }
  });
  const seasonsOf = Array.from({ length: 12 }, (_, m) =>
    tariff.seasons.filter((season) => season.months.includes(m + 1)),
  );
  const missing = MONTH_NAMES.filter((_, m) => seasonsOf[m]?.length === 0);
  if (missing.length > 0)
    issues.push({ path: ['seasons'], message: `no season covers ${missing.join(', ')}` });
  const twice = MONTH_NAMES.filter((_, m) => (seasonsOf[m]?.length ?? 0) > 1);
  if (twice.length > 0)
    issues.push({ path: ['seasons'], message: `more than one season covers ${twice.join(', ')}` });
  return issues;
}

/** The flat price of a site without dated tariffs (or on nights none covers): one period, all week, no fixed part, no tax. */
export function flatTariff(eurPerKwh: number): Tariff {
  return {
    id: 'flat',
    label: `Flat price ${eurPerKwh} per kWh (site.tariffEurPerKwh)`,
    validFrom: '0001-01-01',
    subscriptionEurPerKvaMonth: 0,
    seasons: [
      {
        name: 'all-year',
        months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
        periods: [{ name: 'base', eurPerKwh, slots: [{ days: [...WEEKDAYS], from: '00:00', to: '24:00' }] }],
      },
    ],
    taxes: [],
  };
}
