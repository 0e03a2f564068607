import { sunTimesForNight } from '../astro/sun-times.ts';
import type { LocalDate, Site } from '../config/schema.ts';
import { burningHours } from '../energy/model.ts';
import { addDays } from '../time/local-date.ts';
import { nightWindow } from '../time/night.ts';
import { ZoneClock } from '../time/zone-clock.ts';

/**
 * The full astronomical night (sunset to sunrise, hours) of every night from `from` to `to` at the
 * site: the burning hours of the baseline, which burned on a photocell. One position for the whole
 * site: across a city the night length differs by seconds, far below what a report shows.
 */
export function astronomicalNightHours(
  site: Pick<Site, 'timezone' | 'latitude' | 'longitude'>,
  from: LocalDate,
  to: LocalDate,
): Map<LocalDate, number> {
  const clock = ZoneClock.of(site.timezone);
  const hours = new Map<LocalDate, number>();
  for (let night = from; night <= to; night = addDays(night, 1)) {
    const window = nightWindow(clock, night);
    const sun = sunTimesForNight(site.latitude, site.longitude, window);
    hours.set(night, burningHours(sun.sunset, sun.sunrise, window.start, window.end));
  }
  return hours;
}
