import type { LiveStatePage } from './live-state-page.ts';

/**
 * What the map shows of each luminaire, from what it reported, as the alarm sweep last saw it:
 * - `unknown`: it never reported (a luminaire not installed yet);
 * - `off` / `lit`: its last report's level, 0 or more;
 * - `boosted`: lit above what its plan gave at that instant: presence raised it;
 * - `alarm`: an alarm is open on it (a fault it reports, a plan it does not follow).
 * "Not reporting" is not stored: it depends on when one looks, so the reader derives it from the
 * age of the last report (see `isSilentAt`).
 */
export const LIVE_STATES = ['unknown', 'off', 'lit', 'boosted', 'alarm'] as const;
export type LiveState = (typeof LIVE_STATES)[number];
export const liveStateCode = (state: LiveState): number => LIVE_STATES.indexOf(state);

/** A luminaire is not reporting once its last report is older than this many report intervals. */
export const SILENT_AFTER_INTERVALS = 2;

/**
 * The state of a luminaire from its last report (`undefined`: none), the level its plan gives at
 * that report's instant and whether an alarm other than not-reporting is open on it.
 */
export function liveStateOf(
  report: { readonly level: number | undefined } | undefined,
  plannedLevel: number,
  alarmOpen: boolean,
): LiveState {
  if (alarmOpen) return 'alarm';
  if (report === undefined || report.level === undefined) return 'unknown';
  if (report.level === 0) return 'off';
  return report.level > plannedLevel ? 'boosted' : 'lit';
}

/** Whether a report `age` seconds old at `at`, seen `elapsed` seconds later, is too old. */
export const isSilentAt = (age: number, elapsed: number, reportIntervalSeconds: number): boolean =>
  age >= 0 && age + elapsed > SILENT_AFTER_INTERVALS * reportIntervalSeconds;

/** Names listed once each, in first-seen order, with the index of each (zones and streets of a page). */
export class NameList {
  readonly names: string[] = [];
  readonly #index = new Map<string, number>();

  indexOf(name: string): number {
    let i = this.#index.get(name);
    if (i === undefined) {
      i = this.names.push(name) - 1;
      this.#index.set(name, i);
    }
    return i;
  }
}

/**
 * The header of the first page (no `after`) listing the `after` of every following page, so the
 * console asks for them all at once instead of one after another as it parses each page's `next`.
 */
export const LIVE_STATE_PAGES_HEADER = 'live-state-pages';

/** The cursors as the header carries them: each URI-encoded (a zone name may hold a comma), comma-separated. */
export const encodePageCursors = (cursors: readonly string[]): string =>
  cursors.map(encodeURIComponent).join(',');

/** The cursors of a header (none when it is missing or empty). */
export const decodePageCursors = (header: string | null): string[] =>
  header === null || header === '' ? [] : header.split(',').map(decodeURIComponent);

/** The per-luminaire columns of a page, what the snapshot's parts store too (zone aside). */
export type LiveStateColumns = Pick<
  LiveStatePage,
  'ids' | 'lon' | 'lat' | 'street' | 'state' | 'level' | 'age'
>;

/** A page of no luminaire, for a writer to fill column by column. */
export function emptyLiveStatePage(at: string | null, reportIntervalSeconds: number): LiveStatePage {
  return {
    at,
    reportIntervalSeconds,
    zones: [],
    streets: [],
    ids: [],
    lon: [],
    lat: [],
    zone: [],
    street: [],
    state: [],
    level: [],
    age: [],
  };
}
