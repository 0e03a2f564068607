import type { ZoneClock } from '../time/zone-clock.ts';

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date, by arithmetic (no Date per reading). */
export function epochDayOfCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * The instants a local wall-clock time (seconds since 1970-01-01 00:00 local) can mean in the zone,
 * earliest first: none when a clock change skips it, two when one repeats it, otherwise one.
 */
export function instantsOfWall(wall: number, clock: ZoneClock): number[] {
  const before = clock.offsetAt(wall - 86_400);
  const after = clock.offsetAt(wall + 86_400);
  // No clock change within a day either side: the one offset holds (all but two days a year).
  if (before === after) return [wall - before];
  return [wall - before, wall - after]
    .filter((instant) => instant + clock.offsetAt(instant) === wall)
    .sort((a, b) => a - b);
}
