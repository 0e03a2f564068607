import {
  type Config,
  type Luminaire,
  NO_CIRCUITS,
  nightWindow,
  planNight,
  sunTimesForNight,
  ZoneClock,
} from '#schedules/index.ts';

/**
 * Dusk and dawn are not day-burning: a profile may switch on a little before sunset or off a little
 * after sunrise. Only a luminaire lit well inside the day is.
 */
const TWILIGHT_MARGIN_SECONDS = 30 * 60;

/**
 * True when a luminaire reported lit at `ts` although the sun is up at its position (astro clock,
 * not the controller's own light sensor) and its plan does not light it then (an override may light
 * a street in daytime on purpose, for maintenance or an event).
 */
export function isDayBurning(
  config: Config,
  luminaire: Luminaire,
  night: string,
  ts: number,
  level: number,
): boolean {
  if (level === 0) return false;
  const window = nightWindow(ZoneClock.of(config.site.timezone), night);
  const sun = sunTimesForNight(luminaire.lat, luminaire.lon, window);
  const daytime = ts < sun.sunset - TWILIGHT_MARGIN_SECONDS || ts > sun.sunrise + TWILIGHT_MARGIN_SECONDS;
  if (!daytime) return false;
  // What the profile asks, before any contactor: lit by day is day-burning whatever the cabinet does.
  const plan = planNight(config, [luminaire], night, NO_CIRCUITS).luminaires[0];
  let planned = 0;
  for (const transition of plan?.transitions ?? []) if (transition.at <= ts) planned = transition.level;
  return planned === 0;
}
