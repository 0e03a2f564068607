import type { LocalDate, Weekday } from '../config/schema.ts';
import { WEEKDAYS } from '../config/schema.ts';

const DAY_SECONDS = 86_400;

/** Days since 1970-01-01 of a calendar date (proleptic Gregorian), without any time zone. */
export function epochDayOf(date: LocalDate): number {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  return Date.UTC(year, month - 1, day) / (DAY_SECONDS * 1000);
}

export function localDateOfEpochDay(epochDay: number): LocalDate {
  return new Date(epochDay * DAY_SECONDS * 1000).toISOString().slice(0, 10);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return localDateOfEpochDay(epochDayOf(date) + days);
}

/** The weekday of a calendar date; for a night, pass the date the night starts. */
export function weekdayOf(date: LocalDate): Weekday {
  // 1970-01-01 was a Thursday: index 3 in WEEKDAYS (mon..sun).
  const index = (((epochDayOf(date) + 3) % 7) + 7) % 7;
  return WEEKDAYS[index] as Weekday;
}

/** Minutes after local midnight of a wall-clock "HH:MM". */
export function minutesOfDay(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}
