import type { LocalDate } from '../config/schema.ts';
import { addDays } from './local-date.ts';
import { ZoneClock } from './zone-clock.ts';

const NOON = 12 * 3600;

/** The night of date D: from D 12:00 to D+1 12:00 local time, as epoch seconds [start, end). */
export interface NightWindow {
  readonly night: LocalDate;
  readonly start: number;
  readonly end: number;
}

export function nightWindow(clock: ZoneClock, night: LocalDate): NightWindow {
  return { night, start: clock.toEpoch(night, NOON), end: clock.toEpoch(addDays(night, 1), NOON) };
}

/**
 * The instant of a wall-clock time inside the night of D: a time at or after 12:00 is on the evening
 * of D, an earlier one on the morning of D+1.
 */
export function wallClockInNight(clock: ZoneClock, night: LocalDate, minutesOfDay: number): number {
  const date = minutesOfDay >= 12 * 60 ? night : addDays(night, 1);
  return clock.toEpoch(date, minutesOfDay * 60);
}

/** The night (noon to noon, local) an instant belongs to: before local noon it is the previous date's. */
export function nightOf(timezone: string, epochSeconds: number): LocalDate {
  const clock = ZoneClock.of(timezone);
  const date = clock.dateAt(epochSeconds);
  return epochSeconds < nightWindow(clock, date).start ? addDays(date, -1) : date;
}
