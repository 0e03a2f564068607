/**
 * Whether a luminaire-night's readings cover its night. A night is judged by the readings that
 * bracket its planned window, not by how many there are: a controller reports on every level
 * change, so the reading at switch-on and the one at switch-off bracket what the counter metered
 * in between, whatever the periodic report interval.
 */

export const NIGHT_CLASSES = ['complete', 'partial', 'silent'] as const;
export type NightClass = (typeof NIGHT_CLASSES)[number];

/** The interval a luminaire-night's readings must cover (epoch seconds, start <= end). */
export interface CoveredSpan {
  readonly start: number;
  readonly end: number;
}

/** The earliest and latest accepted readings of a luminaire-night; null where they were not kept. */
export interface NightReadings {
  readonly firstTs: number | null;
  readonly lastTs: number | null;
}

/**
 * `complete`: the first reading is at most `slackSeconds` after the window starts and the last at
 * most `slackSeconds` before it ends (one report interval: a controller that reports on time cannot
 * do better); `silent`: no reading at all; `partial`: readings that do not bracket the window (the
 * luminaire came online late, went quiet early, or the night was stored before first/last
 * readings were kept).
 */
export function classifyNight(
  window: CoveredSpan,
  readings: NightReadings | undefined,
  slackSeconds: number,
): NightClass {
  if (readings === undefined) return 'silent';
  const { firstTs, lastTs } = readings;
  if (firstTs === null || lastTs === null) return 'partial';
  return firstTs <= window.start + slackSeconds && lastTs >= window.end - slackSeconds
    ? 'complete'
    : 'partial';
}
