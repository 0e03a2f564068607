import { addDays, type LocalDate, nightWindow, ZoneClock } from '../../schedules/index.ts';

/** The night (noon to noon, local) an instant belongs to: before local noon it is the previous date's. */
export function nightOf(timezone: string, epochSeconds: number): LocalDate {
  const clock = ZoneClock.of(timezone);
  const date = clock.dateAt(epochSeconds);
  return epochSeconds < nightWindow(clock, date).start ? addDays(date, -1) : date;
}
