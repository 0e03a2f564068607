import { z } from 'zod';
import { addDays, LocalDate, nightOf } from '#schedules/index.ts';
import { circuitsOf } from '#schedules/plan/plan-night.ts';
import { addNights, monthOf } from '#schedules/report/month-sums.ts';
import { lastDayOfMonth } from '#schedules/report/periods.ts';
import { mapBounded } from '../shared/backoff.ts';
import { InvalidInput, parseInput } from '../shared/errors.ts';
import type {
  CabinetStore,
  ClosedNightStore,
  ConfigStore,
  LuminaireStore,
  NightReadingsReader,
} from '../store/index.ts';
import { closeNightFromItems, NIGHT_READ_CONCURRENCY } from './savings-report.ts';

/**
 * The daily night close (docs/adr/0009-complete-nights.md): sums the night that ended this morning
 * by street and stores it (AP30), re-closes the nights before it (readings of a luminaire that was
 * offline arrive late), and closes any night of the last weeks that was never closed (a missed run).
 * Each month a closed night belongs to then gets its totals rewritten (AP33), so the report adds up
 * a month's street sums once instead of every night's.
 */

/** When the daily close runs, site time. */
export const NIGHT_CLOSE_AT = '12:30';
/** Nights re-closed every day besides the last: late readings of the nights just before are taken in. */
export const RECLOSED_NIGHTS = 2;
/** How far back a missed night is caught up: beyond, the report closes it itself when asked. */
export const CATCH_UP_NIGHTS = 14;
/** The oldest night an operator may close again: the night items outlive it, the raw reports do not. */
export const MAX_CLOSE_AGE_NIGHTS = 400;

/**
 * What the daily EventBridge Scheduler schedule sends (`scheduledTime`, `executionId`); an operator
 * closing one night again adds `night`.
 */
const NightCloseInput = z.object({
  scheduledTime: z.iso.datetime({ offset: true }),
  executionId: z.string().min(1).max(128).optional(),
  night: LocalDate.optional(),
});

export interface NightCloseDeps {
  readonly config: Pick<ConfigStore, 'loadVersioned'>;
  readonly luminaires: Pick<LuminaireStore, 'listAll'>;
  /** The planned windows are the pushed plans': bounded by the cabinets. */
  readonly cabinets: Pick<CabinetStore, 'listAll'>;
  readonly closedNights: ClosedNightStore & NightReadingsReader;
  readonly now: () => number;
}

export interface NightCloseResult {
  /** The nights closed, oldest first. */
  readonly nights: readonly string[];
  readonly luminaires: number;
  /** Closed-night items written. */
  readonly items: number;
  /** The months whose totals were rewritten. */
  readonly months: readonly string[];
}

export function makeNightClose(deps: NightCloseDeps) {
  return async (event: unknown): Promise<NightCloseResult> => {
    const input = parseInput(NightCloseInput, event, 'night-close input');
    const { config, version } = await deps.config.loadVersioned();
    // The schedule fires after noon: the night that began yesterday evening is over.
    const lastOver = addDays(nightOf(config.site.timezone, Date.parse(input.scheduledTime) / 1000), -1);
    if (input.night !== undefined) {
      const oldest = addDays(lastOver, -MAX_CLOSE_AGE_NIGHTS);
      if (input.night > lastOver || input.night < oldest)
        throw new InvalidInput('night-close input', [
          {
            path: 'night',
            message: `must be a night that is over, from ${oldest} to ${lastOver}: ${input.night} is not`,
          },
        ]);
    }
    const nights = input.night === undefined ? await nightsDue(deps.closedNights, lastOver) : [input.night];
    const [luminaires, cabinets] = await Promise.all([deps.luminaires.listAll(), deps.cabinets.listAll()]);
    const circuits = circuitsOf(cabinets, luminaires);
    let items = 0;
    for (const night of nights) {
      const closed = await closeNightFromItems(deps.closedNights, config, luminaires, night, circuits);
      const closedAt = new Date(deps.now() * 1000).toISOString();
      items += (await deps.closedNights.put({ ...closed, configVersion: version, closedAt })).items;
    }
    const months = [...new Set(nights.map(monthOf))];
    for (const month of months)
      await rewriteMonthTotals(deps.closedNights, month, new Date(deps.now() * 1000).toISOString());
    return { nights, luminaires: luminaires.length, items, months };
  };
}

/**
 * Adds up a month's totals anew from its closed nights, the 1st on up to the first night not closed,
 * and stores them in place of the last ones: a night closed again replaces its share, never adds it
 * twice, and a late re-close of the 31st updates the month.
 */
export async function rewriteMonthTotals(
  store: Pick<ClosedNightStore, 'get' | 'putMonth'>,
  month: string,
  closedAt: string,
): Promise<{ readonly nights: number; readonly items: number }> {
  const dates: string[] = [];
  for (let night = `${month}-01`; night <= lastDayOfMonth(month); night = addDays(night, 1))
    dates.push(night);
  const closed = await mapBounded(dates, NIGHT_READ_CONCURRENCY, (night) => store.get(night));
  const open = closed.indexOf(undefined);
  const nights = closed.slice(0, open === -1 ? closed.length : open).filter((n) => n !== undefined);
  const { items } = await store.putMonth({ ...addNights(month, nights), closedAt });
  return { nights: nights.length, items };
}

/** The last night and the RECLOSED_NIGHTS before it, and every night of the catch-up window never closed. */
async function nightsDue(store: Pick<ClosedNightStore, 'get'>, lastOver: string): Promise<string[]> {
  const due: string[] = [];
  for (let back = CATCH_UP_NIGHTS - 1; back >= 0; back--) {
    const night = addDays(lastOver, -back);
    if (back <= RECLOSED_NIGHTS || (await store.get(night)) === undefined) due.push(night);
  }
  return due;
}
